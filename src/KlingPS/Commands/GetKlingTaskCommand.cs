using System;
using System.Management.Automation;
using System.Threading.Tasks;
using KlingPS.Core.Errors;
using KlingPS.Core.Models;
using KlingPS.Infrastructure;

namespace KlingPS.Commands
{
    /// <summary>
    /// <para type="synopsis">Gets Kling tasks: one by id, one by external id, or a page of a route's recent tasks.</para>
    /// <para type="description">Queries the service on the route that created the task (image-to-video or multi-image-to-video). Task ids bind by property name, so a KlingTask piped in is refreshed. Without an id, lists the route's tasks, newest first (where the service offers the list).</para>
    /// </summary>
    /// <example>
    ///   <code>Get-KlingTask -TaskId 2032273942220931072</code>
    ///   <para>Shows the current status of one image-to-video task.</para>
    /// </example>
    /// <example>
    ///   <code>Get-KlingTask -ExternalTaskId nightly-cat-001</code>
    ///   <para>Finds a task by the external id it was submitted with.</para>
    /// </example>
    /// <example>
    ///   <code>Get-KlingTask -Route MultiImageToVideo -PageSize 50 | Where-Object Status -eq Failed</code>
    ///   <para>Lists the 50 newest multi-image tasks and keeps the failed ones.</para>
    /// </example>
    /// <seealso cref="WaitKlingTaskCommand"/>
    /// <seealso cref="SaveKlingVideoCommand"/>
    /// <seealso cref="NewKlingImageVideoCommand"/>
    /// <seealso>about_KlingPS</seealso>
    [Cmdlet(VerbsCommon.Get, "KlingTask", HelpUri = HelpUri, DefaultParameterSetName = ListSet)]
    [OutputType(typeof(KlingTask))]
    public sealed class GetKlingTaskCommand : ServiceCmdlet
    {
        private const string IdSet = "TaskId";
        private const string ExternalSet = "ExternalTaskId";
        private const string ListSet = "List";

        /// <summary>Task ids; a KlingTask piped in binds by its TaskId property.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = IdSet, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        public string[] TaskId { get; set; } = Array.Empty<string>();

        /// <summary>External task ids given at submission. Not bound from the pipeline: a piped task has both ids, and binding both would make the parameter set ambiguous.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ExternalSet)]
        public string[] ExternalTaskId { get; set; } = Array.Empty<string>();

        /// <summary>The endpoint the tasks were created on.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [PSDefaultValue(Value = "ImageToVideo")]
        public KlingRoute Route { get; set; } = KlingRoute.ImageToVideo;

        /// <summary>Which page of the list, from 1.</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateRange(1, 1000)]
        [PSDefaultValue(Value = 1)]
        public int Page { get; set; } = 1;

        /// <summary>Tasks per page, 1 to 500.</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateRange(1, 500)]
        [PSDefaultValue(Value = 30)]
        public int PageSize { get; set; } = 30;

        protected override void ProcessRecord()
        {
            var client = Connection.Client;
            var call = Call;
            if (ParameterSetName == ListSet)
            {
                Run(() => client.ListTasksAsync(Route, Page, PageSize, call, StopToken), page =>
                {
                    foreach (var t in page.Tasks) WriteObject(t);
                    foreach (var failure in page.Failures) WriteItemError(failure, failure.Target); // one bad entry, not the whole page
                }, Route);
                return;
            }
            var ids = ParameterSetName == IdSet ? TaskId : ExternalTaskId;
            foreach (var id in ids) Run(() => client.GetTaskAsync(Route, id, call, StopToken), WriteObject, id);
        }

        private void Run<T>(Func<Task<T>> query, Action<T> write, object target)
        {
            var work = Task.Run(query);
            try
            {
                Pump.RunUntil(work, StopToken);
                write(work.Result);
            }
            catch (KlingApiException e)
            {
                WriteItemError(e, target);
            }
        }
    }
}
