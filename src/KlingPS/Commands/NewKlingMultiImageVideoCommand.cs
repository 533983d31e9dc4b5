using System;
using System.Collections.Generic;
using System.Management.Automation;
using KlingPS.Core.Models;
using KlingPS.Infrastructure;

namespace KlingPS.Commands
{
    /// <summary>
    /// <para type="synopsis">Submits one Kling multi-image-to-video task made from 2 to 4 reference images.</para>
    /// <para type="description">Gathers every image given with -Path or -Image, or piped in (files from Get-ChildItem, paths, URLs), into one task. Fewer than 2 or more than 4 images is an error and nothing is sent. Writes the KlingTask once it is accepted, or, with -Wait, once it has finished.</para>
    /// </summary>
    /// <example>
    ///   <code>Get-ChildItem ./refs/*.jpg | New-KlingMultiImageVideo -Prompt 'The astronauts get up and leave.' | Wait-KlingTask | Save-KlingVideo -Path ./clips</code>
    ///   <para>Makes one video from the 2 to 4 JPEGs of a folder.</para>
    /// </example>
    /// <example>
    ///   <code>New-KlingMultiImageVideo -Image https://example.com/a.jpg, https://example.com/b.jpg -Prompt 'A slow pan from one scene to the other' -AspectRatio 9:16 -Duration 10 -Wait</code>
    ///   <para>Makes a vertical 10-second video from two URLs and waits for it.</para>
    /// </example>
    /// <seealso cref="NewKlingImageVideoCommand"/>
    /// <seealso cref="WaitKlingTaskCommand"/>
    /// <seealso cref="SaveKlingVideoCommand"/>
    /// <seealso>about_KlingPS</seealso>
    [Cmdlet(VerbsCommon.New, "KlingMultiImageVideo", HelpUri = HelpUri, DefaultParameterSetName = PathSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(KlingTask))]
    public sealed class NewKlingMultiImageVideoCommand : SubmitCommandBase
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";
        private const string ImageSet = "Image";

        private readonly List<KlingImage> _images = new List<KlingImage>();

        /// <summary>Image files (wildcards expanded; a pattern that matches nothing is an error) or URLs; every one piped in joins the same task. Files piped in bind to -LiteralPath instead.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true)]
        [SupportsWildcards]
        [PathText]
        public string[] Path { get; set; } = Array.Empty<string>();

        /// <summary>Image files, taken literally (no wildcards). Files piped in from Get-ChildItem or Get-Item bind here by their PSPath, whatever their names hold.</summary>
        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP", "FullName")]
        public string[] LiteralPath { get; set; } = Array.Empty<string>();

        /// <summary>Images as public http(s) URLs or Base64 text; objects piped in with an Image (or Url) property join the task too.</summary>
        // By property name as well: were a set to take nothing from the pipeline, PowerShell would settle on the default set
        // (-Path) before the first object arrives, and a piped file could never bind to -LiteralPath.
        [Parameter(Mandatory = true, ParameterSetName = ImageSet, ValueFromPipelineByPropertyName = true)]
        [Alias("Url", "ImageUrl")]
        public string[] Image { get; set; } = Array.Empty<string>();

        /// <summary>16:9, 9:16 or 1:1.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(AspectRatioCompleter))]
        [BlankIsNotGiven]
        [PSDefaultValue(Help = "the service's default")]
        public string? AspectRatio { get; set; }

        /// <summary>The Kling model (model_name): the multi-image route takes kling-v1-6; the service's default when omitted.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(MultiImageVideoModelCompleter))]
        [Alias("ModelName")]
        [BlankIsNotGiven]
        [PSDefaultValue(Help = "the service's default")]
        public override string? Model { get; set; }

        protected override void ProcessRecord()
        {
            switch (ParameterSetName)
            {
                case PathSet:
                    foreach (var path in Path)
                    {
                        try
                        {
                            _images.AddRange(ImageArguments.FromPath(this, path));
                        }
                        catch (ItemNotFoundException e)
                        {
                            ThrowTerminatingError(new ErrorRecord(e, "PathNotFound", ErrorCategory.ObjectNotFound, path));
                        }
                    }
                    break;
                case LiteralPathSet:
                    foreach (var path in LiteralPath) _images.Add(KlingImage.FromFile(GetUnresolvedProviderPathFromPSPath(path)));
                    break;
                default:
                    foreach (var image in Image) _images.Add(KlingImage.FromText(image));
                    break;
            }
        }

        /// <summary>The images are one task: it can only be sent once all of them have arrived.</summary>
        protected override void EndProcessing()
        {
            var names = string.Join(", ", _images.ConvertAll(i => i.Name));
            Submit(_images.ToArray(), Describe(names), () => new MultiImageVideoRequest(_images) { AspectRatio = AspectRatio });
            base.EndProcessing();
        }
    }
}
