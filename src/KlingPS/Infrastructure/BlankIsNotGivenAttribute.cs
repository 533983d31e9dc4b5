using System.Management.Automation;

namespace KlingPS.Infrastructure
{
    /// <summary>
    /// On an optional parameter: an empty or all-blank string, what Import-Csv gives for an empty cell, means the parameter was
    /// not given. Without it PowerShell converts "" to 0 for -Duration, to an invalid URI for -CallbackUrl, and to the current
    /// folder for an image path, and the row fails (or is sent) with a value nobody wrote.
    /// </summary>
    internal sealed class BlankIsNotGivenAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            return value is string text && string.IsNullOrWhiteSpace(text) ? null : inputData;
        }
    }
}
