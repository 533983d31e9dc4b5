using System;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using KlingPS.Core.Client;

namespace KlingPS.Infrastructure
{
    /// <summary>
    /// The connection of each runspace. Keyed by the runspace object, not held in a static field, so two
    /// runspaces of one process (Azure Automation jobs) never see each other's key; the entry goes with
    /// the runspace.
    /// </summary>
    internal static class ContextStore
    {
        private static readonly ConditionalWeakTable<Runspace, Holder> Contexts = new ConditionalWeakTable<Runspace, Holder>();

        public static KlingConnection? Get() => Current()?.Connection;

        public static void Set(KlingConnection? connection)
        {
            var holder = Current() ?? throw new InvalidOperationException("No runspace.");
            var old = holder.Connection;
            holder.Connection = connection;
            if (!ReferenceEquals(old, connection)) old?.Dispose();
        }

        /// <summary>A connection made from COMETAPI_KEY, kept per runspace so its HttpClient is reused.</summary>
        public static KlingConnection FromEnvironment(KlingApiKey key, Uri baseUri)
        {
            var holder = Current() ?? throw new InvalidOperationException("No runspace.");
            lock (holder)
            {
                var known = holder.EnvironmentConnection;
                if (known != null && known.Options.ApiKey.Matches(key) && known.Options.BaseUri == baseUri) return known;
                known?.Dispose();
                holder.EnvironmentConnection = new KlingConnection(new KlingClientOptions(key) { BaseUri = baseUri }, KlingCmdlet.EnvironmentKeySource);
                return holder.EnvironmentConnection;
            }
        }

        private static Holder? Current()
        {
            var runspace = Runspace.DefaultRunspace;
            return runspace == null ? null : Contexts.GetValue(runspace, _ => new Holder());
        }

        private sealed class Holder
        {
            public KlingConnection? Connection;
            public KlingConnection? EnvironmentConnection;
        }
    }
}
