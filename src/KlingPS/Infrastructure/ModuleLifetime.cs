using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace KlingPS.Infrastructure
{
    /// <summary>
    /// Registers the dependency resolver when the module is imported and removes it (with the runspace's
    /// connection) on Remove-Module, so that System.Text.Json and its helpers load from the module's own
    /// dependencies/ folder whenever the process has none new enough, and KlingPS neither breaks nor is broken
    /// by other modules.
    /// </summary>
    public sealed class ModuleLifetime : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        public void OnImport() => DependencyResolver.Register();

        public void OnRemove(PSModuleInfo psModuleInfo)
        {
            // The removing runspace's key goes with the module instead of coming back on the next import.
            if (Runspace.DefaultRunspace != null) ContextStore.Set(null);
            DependencyResolver.Unregister();
        }
    }
}
