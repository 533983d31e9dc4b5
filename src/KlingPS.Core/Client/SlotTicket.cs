namespace KlingPS.Core.Client
{
    /// <summary>One submission's place in the slot gate's line, and whether its current attempt is a probe.</summary>
    internal sealed class SlotTicket
    {
        internal SlotTicket(long order) { Order = order; }

        public long Order { get; }
        internal bool IsProbe { get; set; }
    }
}
