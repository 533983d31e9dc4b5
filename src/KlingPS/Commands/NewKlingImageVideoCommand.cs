using System;
using System.Collections.Generic;
using System.Management.Automation;
using KlingPS.Core.Models;
using KlingPS.Infrastructure;

namespace KlingPS.Commands
{
    /// <summary>
    /// <para type="synopsis">Submits one Kling image-to-video task per image.</para>
    /// <para type="description">Images come from the pipeline as files (Get-ChildItem), as paths (-Path with wildcards, -LiteralPath), or as URLs or Base64 text (-Image). Every request setting binds by property name, so Import-Csv can drive a batch in which each row has its own image, prompt and settings. Inputs are checked locally before anything is sent; submissions run concurrently (-ThrottleLimit) and wait for a free slot when the account's concurrency limit is reached. Writes a KlingTask per image as soon as it is accepted, or, with -Wait, once it has finished. Files piped in are taken by their literal path, whatever their names hold; an empty cell of an Import-Csv row means its parameter is not given. Stopped (Ctrl+C) with tasks still running at the service, it warns which, and how to pick them up.</para>
    /// </summary>
    /// <example>
    ///   <code>Get-ChildItem ./stills/*.png | New-KlingImageVideo -Prompt 'slow push-in' -Mode pro | Wait-KlingTask | Save-KlingVideo -Path ./clips</code>
    ///   <para>Animates every PNG of a folder, waits for all tasks at once, and saves cat.png's video as ./clips/cat.mp4.</para>
    /// </example>
    /// <example>
    ///   <code>Import-Csv ./jobs.csv | New-KlingImageVideo -JournalPath ./jobs.journal -Wait</code>
    ///   <para>Runs a batch in which each CSV row gives Path (or Image), Prompt, Mode, Duration...; re-running it with the same journal submits nothing twice.</para>
    /// </example>
    /// <example>
    ///   <code>New-KlingImageVideo -Image https://example.com/cat.jpg -Model kling-v2-6 -Duration 10 -WhatIf</code>
    ///   <para>Shows what would be sent, without sending anything or spending credits.</para>
    /// </example>
    /// <seealso cref="WaitKlingTaskCommand"/>
    /// <seealso cref="SaveKlingVideoCommand"/>
    /// <seealso cref="NewKlingMultiImageVideoCommand"/>
    /// <seealso cref="NewKlingDynamicMaskCommand"/>
    /// <seealso cref="ConnectKlingCommand"/>
    /// <seealso>about_KlingPS</seealso>
    [Cmdlet(VerbsCommon.New, "KlingImageVideo", HelpUri = HelpUri, DefaultParameterSetName = PathSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(KlingTask))]
    public sealed class NewKlingImageVideoCommand : SubmitCommandBase
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";
        private const string ImageSet = "Image";

        /// <summary>Image files (JPEG or PNG); wildcards are expanded, and a pattern that matches nothing is an error. Strings piped in bind here; http(s) URLs are accepted too. Files piped in bind to -LiteralPath instead.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [PathText]
        public string[] Path { get; set; } = Array.Empty<string>();

        /// <summary>Image files, taken literally (no wildcards). Files piped in from Get-ChildItem or Get-Item bind here by their PSPath, whatever their names hold.</summary>
        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP", "FullName")]
        public string[] LiteralPath { get; set; } = Array.Empty<string>();

        /// <summary>An image as a public http(s) URL or as Base64 text (a data: prefix is removed).</summary>
        [Parameter(Mandatory = true, ParameterSetName = ImageSet, ValueFromPipelineByPropertyName = true)]
        [Alias("Url", "ImageUrl")]
        public string[] Image { get; set; } = Array.Empty<string>();

        /// <summary>The last frame, as a path, URL or Base64 text. Cannot be combined with masks.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [BlankIsNotGiven]
        public string? ImageTail { get; set; }

        /// <summary>The Kling model (model_name), for example kling-v2-6; the service's default when omitted.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ImageVideoModelCompleter))]
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
                        IReadOnlyList<KlingImage> images;
                        try
                        {
                            images = ImageArguments.FromPath(this, path);
                        }
                        catch (ItemNotFoundException e)
                        {
                            WriteError(new ErrorRecord(e, "PathNotFound", ErrorCategory.ObjectNotFound, path));
                            continue;
                        }
                        foreach (var image in images) SubmitOne(image, path);
                    }
                    break;
                case LiteralPathSet:
                    foreach (var path in LiteralPath) SubmitOne(KlingImage.FromFile(GetUnresolvedProviderPathFromPSPath(path)), path);
                    break;
                default:
                    foreach (var image in Image) SubmitOne(KlingImage.FromText(image), image);
                    break;
            }
        }

        /// <summary>A file's errors target its full file-system path (not the PSPath or pattern it came as); others what was given.</summary>
        private void SubmitOne(KlingImage image, object item) =>
            Submit(image.Kind == KlingImageKind.File ? image.Path! : item, Describe(image.Name), () => new ImageVideoRequest(image) { ImageTail = OptionalImage(ImageTail) });
    }
}
