using System;

namespace KlingPS.Core.Models
{
    /// <summary>A point of a trajectory, in pixels from the bottom-left corner.</summary>
    public readonly struct TrajectoryPoint : IEquatable<TrajectoryPoint>
    {
        public TrajectoryPoint(int x, int y) { X = x; Y = y; }
        public int X { get; }
        public int Y { get; }
        public bool Equals(TrajectoryPoint other) => X == other.X && Y == other.Y;
        public override bool Equals(object? obj) => obj is TrajectoryPoint p && Equals(p);
        public override int GetHashCode() => (X * 397) ^ Y;
        public static bool operator ==(TrajectoryPoint left, TrajectoryPoint right) => left.Equals(right);
        public static bool operator !=(TrajectoryPoint left, TrajectoryPoint right) => !left.Equals(right);
        public override string ToString() => $"({X},{Y})";
    }
}
