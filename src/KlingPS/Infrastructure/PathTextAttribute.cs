using System.IO;
using System.Management.Automation;

namespace KlingPS.Infrastructure
{
    /// <summary>
    /// On -Path, which takes paths as text and expands their wildcards: a file or folder object (Get-ChildItem, Get-Item) or
    /// an Import-Csv row is refused as a conversion that cannot be made. From the pipeline, PowerShell then binds that object
    /// by its properties instead: a file by its PSPath to -LiteralPath, whatever its name holds ([ ], ( ), a backtick), a row
    /// by its Path, LiteralPath or Image column. Without this, as soon as one property of a file binds by name (a FileInfo's
    /// Mode matches -Mode), PowerShell keeps to the default parameter set and converts the file itself to -Path's text,
    /// which is then read as a wildcard pattern.
    /// </summary>
    internal sealed class PathTextAttribute : ArgumentTransformationAttribute
    {
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            if (value is FileSystemInfo || value is PSCustomObject)
                throw new ArgumentTransformationMetadataException(Messages.PathTakesText, new PSInvalidCastException(Messages.PathTakesText));
            return inputData;
        }
    }
}
