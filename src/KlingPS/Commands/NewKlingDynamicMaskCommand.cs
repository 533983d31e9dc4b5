using System;
using System.Collections.Generic;
using System.Management.Automation;
using KlingPS.Core.Models;
using KlingPS.Infrastructure;

namespace KlingPS.Commands
{
    /// <summary>
    /// <para type="synopsis">Makes a motion-brush group (a mask image and the path it moves along) for -DynamicMask.</para>
    /// <para type="description">Points are pixels of the source image with the origin at its bottom-left corner, in order of movement; 2 to 77 points. The mask must have the source image's aspect ratio, and all masks of a task one resolution. Nothing is sent: the checks run when the task is submitted.</para>
    /// </summary>
    /// <example>
    ///   <code>$boat = New-KlingDynamicMask -Mask ./boat-mask.png -Trajectory @(@{X=100;Y=200}, @{X=400;Y=220})
    /// New-KlingImageVideo -Path ./harbour.png -DynamicMask $boat -Model kling-v1 -Mode pro</code>
    ///   <para>Moves the painted boat from left to right.</para>
    /// </example>
    /// <example>
    ///   <code>New-KlingDynamicMask -Mask https://example.com/mask.png -X 10,200,400 -Y 50,60,80</code>
    ///   <para>Gives the trajectory as two lists of coordinates.</para>
    /// </example>
    /// <seealso cref="NewKlingImageVideoCommand"/>
    /// <seealso>about_KlingPS</seealso>
    [Cmdlet(VerbsCommon.New, "KlingDynamicMask", HelpUri = HelpUri, DefaultParameterSetName = PointsSet)]
    [OutputType(typeof(DynamicMask))]
    public sealed class NewKlingDynamicMaskCommand : KlingCmdlet
    {
        private const string PointsSet = "Trajectory";
        private const string XYSet = "XY";

        /// <summary>The mask image: a path, an http(s) URL or Base64 text.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        public string Mask { get; set; } = string.Empty;

        /// <summary>The points, as objects or hashtables with X and Y.</summary>
        [Parameter(Mandatory = true, Position = 1, ParameterSetName = PointsSet)]
        public TrajectoryPointArgument[] Trajectory { get; set; } = Array.Empty<TrajectoryPointArgument>();

        /// <summary>The X coordinates of the points.</summary>
        [Parameter(Mandatory = true, ParameterSetName = XYSet)]
        public int[] X { get; set; } = Array.Empty<int>();

        /// <summary>The Y coordinates of the points (as many as X).</summary>
        [Parameter(Mandatory = true, ParameterSetName = XYSet)]
        public int[] Y { get; set; } = Array.Empty<int>();

        protected override void EndProcessing()
        {
            var points = new List<TrajectoryPoint>();
            if (ParameterSetName == XYSet)
            {
                if (X.Length != Y.Length)
                    ThrowTerminatingError(new ErrorRecord(new ArgumentException(Messages.XYMismatch(X.Length, Y.Length)), "TrajectoryLengthMismatch", ErrorCategory.InvalidArgument, null));
                for (var i = 0; i < X.Length; i++) points.Add(new TrajectoryPoint(X[i], Y[i]));
            }
            else
            {
                foreach (var p in Trajectory) points.Add(p.Point);
            }
            WriteObject(new DynamicMask(ImageArguments.Resolve(this, Mask), points));
        }
    }

    /// <summary>Lets -Trajectory take @{X=..;Y=..} hashtables or any object with X and Y properties.</summary>
    public sealed class TrajectoryPointArgument
    {
        public TrajectoryPointArgument(System.Collections.IDictionary value)
        {
            Point = new TrajectoryPoint(Convert.ToInt32(Get(value, "X"), System.Globalization.CultureInfo.InvariantCulture),
                Convert.ToInt32(Get(value, "Y"), System.Globalization.CultureInfo.InvariantCulture));
        }

        public TrajectoryPointArgument(PSObject value)
        {
            Point = new TrajectoryPoint(Convert.ToInt32(value.Properties["X"]?.Value, System.Globalization.CultureInfo.InvariantCulture),
                Convert.ToInt32(value.Properties["Y"]?.Value, System.Globalization.CultureInfo.InvariantCulture));
        }

        public TrajectoryPoint Point { get; }

        private static object? Get(System.Collections.IDictionary d, string key)
        {
            foreach (System.Collections.DictionaryEntry e in d)
                if (string.Equals(e.Key?.ToString(), key, StringComparison.OrdinalIgnoreCase)) return e.Value;
            throw new ArgumentException(Messages.PointNeedsXY);
        }
    }
}
