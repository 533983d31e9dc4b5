using System.Management.Automation;

namespace KlingPS.Infrastructure
{
    /// <summary>
    /// The progress bar of a batch of submissions, written on the pipeline thread. The batch's size is unknown while items
    /// still arrive, so it counts what is known: of the items seen so far, how many were submitted and how many failed (a local
    /// check or the service refused them), and names the item being handed over.
    /// </summary>
    internal sealed class SubmissionProgress
    {
        private const int Id = 4710;
        private const string Activity = "Submitting Kling tasks";
        private readonly Cmdlet _cmdlet;
        private int _seen, _submitted, _failed;
        private string? _current;

        public SubmissionProgress(Cmdlet cmdlet) { _cmdlet = cmdlet; }

        /// <summary>An item refused before it was sent.</summary>
        public void Refused(string item)
        {
            _seen++;
            _failed++;
            Write(item);
        }

        /// <summary>An item handed to the submitter.</summary>
        public void Sending(string item)
        {
            _seen++;
            Write(item);
        }

        /// <summary>A submission's outcome: a task, or an error.</summary>
        public void Answered(bool submitted)
        {
            if (submitted) _submitted++;
            else _failed++;
            Write(_current);
        }

        /// <summary>Ends the bar once every submission has its outcome; nothing when nothing was seen.</summary>
        public void Complete()
        {
            if (_seen == 0) return;
            _cmdlet.WriteProgress(new ProgressRecord(Id, Activity, Status) { PercentComplete = 100, RecordType = ProgressRecordType.Completed });
        }

        private string Status => $"{_submitted} submitted, {_failed} failed of {_seen} seen";

        private void Write(string? item)
        {
            _current = item;
            _cmdlet.WriteProgress(new ProgressRecord(Id, Activity, Status)
            {
                CurrentOperation = item == null ? null : "Submitting " + item,
                PercentComplete = 100 * (_submitted + _failed) / _seen,
            });
        }
    }
}
