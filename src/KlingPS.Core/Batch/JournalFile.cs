using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Threading;
using KlingPS.Core.Errors;

namespace KlingPS.Core.Batch
{
    /// <summary>
    /// The journal's file. Nothing is held open between operations: each one opens the file for itself alone (which shuts
    /// out every other process, and every other journal of this process), waiting for it up to the lock timeout; reads the
    /// lines appended since this instance last read; decides; appends its records in one write, flushed to disk; and closes
    /// it. The first line is the header; a file that does not start with it is refused and never written to, while an
    /// empty one gets its header with the first record. Reading skips a UTF-8 BOM, CRLF line ends and lines that do not
    /// parse (a torn last line after a crash, a hand edit) and reads on after them; a write first ends a torn line.
    /// </summary>
    internal sealed class JournalFile
    {
        private static readonly byte[] Bom = { 0xEF, 0xBB, 0xBF };
        private readonly TimeSpan _lockTimeout;
        private long _position; // where the first line this instance has not read starts

        public JournalFile(string path, TimeSpan lockTimeout)
        {
            Path = path;
            _lockTimeout = lockTimeout;
        }

        public string Path { get; }

        /// <summary>
        /// The header: the file's, once it has one; during a write to a new file, the one it will get with the first record
        /// (so that what the operation derives from its identity is what the file will say). Null while there is none.
        /// </summary>
        public JournalHeader? Header { get; private set; }

        /// <summary>Lines that were not records this version reads (torn, edited, or of unknown kinds), skipped.</summary>
        public int SkippedLines { get; private set; }

        /// <summary>Reads what others appended (to <paramref name="apply"/>), then runs <paramref name="decide"/>; creates nothing.</summary>
        public T Read<T>(Action<JournalRecord> apply, Func<T> decide) => Run(false, apply, _ => decide());

        /// <summary>
        /// Reads what others appended (to <paramref name="apply"/>), then runs <paramref name="decide"/>, which may add records
        /// to the list it is given: they are appended (after the header, if the file is new), flushed to disk, and applied.
        /// </summary>
        public T Write<T>(Action<JournalRecord> apply, Func<List<JournalRecord>, T> decide) => Run(true, apply, decide);

        private T Run<T>(bool write, Action<JournalRecord> apply, Func<List<JournalRecord>, T> decide)
        {
            var appended = new List<JournalRecord>();
            using var file = Acquire(write);
            if (file == null) return decide(appended); // reading a journal that does not exist yet
            var torn = ReadNews(file, apply);
            var newFile = write && Header == null;
            if (newFile) Header = JournalHeader.New();
            try
            {
                var result = decide(appended);
                if (appended.Count == 0) return result;
                Append(file, torn, newFile, appended);
                newFile = false;
                foreach (var record in appended) apply(record);
                return result;
            }
            finally
            {
                if (newFile) Header = null; // nothing was written: the file still has no header
            }
        }

        /// <summary>Opens the file for this operation alone, waiting while others have it; null when reading and there is no file.</summary>
        private FileStream? Acquire(bool write)
        {
            var clock = Stopwatch.StartNew();
            var pause = 1;
            var random = new Random();
            while (true)
            {
                FileStream? file;
                try
                {
                    if (write) Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
                    file = ExclusiveFile.TryOpen(Path, write ? FileMode.OpenOrCreate : FileMode.Open, write ? FileAccess.ReadWrite : FileAccess.Read);
                }
                catch (Exception e) when (!write && (e is FileNotFoundException || e is DirectoryNotFoundException))
                {
                    return null;
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    throw LocalError(e);
                }
                if (file != null) return file;
                if (clock.Elapsed >= _lockTimeout)
                    throw new KlingApiException(KlingErrorKind.JournalLocked, Messages.JournalLocked(Path, _lockTimeout)) { Target = Path };
                // Short, growing, jittered pauses: holders keep the file for milliseconds, and waiters must not move in step.
                Thread.Sleep(pause + random.Next(pause + 1));
                pause = Math.Min(pause * 2, 50);
            }
        }

        /// <summary>Applies the complete lines after <see cref="_position"/>; returns whether the file ends inside a line (torn).</summary>
        private bool ReadNews(FileStream file, Action<JournalRecord> apply)
        {
            try
            {
                file.Position = _position;
                var line = new MemoryStream();
                var buffer = new byte[64 * 1024];
                int read;
                while ((read = file.Read(buffer, 0, buffer.Length)) > 0)
                {
                    var start = 0;
                    int end;
                    while ((end = Array.IndexOf(buffer, (byte)'\n', start, read - start)) >= 0)
                    {
                        line.Write(buffer, start, end - start);
                        var lineStart = _position;
                        _position += line.Length + 1;
                        ReadLine(line, lineStart, apply);
                        line.SetLength(0);
                        start = end + 1;
                    }
                    line.Write(buffer, start, read - start);
                }
                // A last line without its end: the first line of a one-line file, or a record a crash tore (nobody else can be
                // writing it now). A record stays unread: once the next write has ended it, it is skipped as the bad line it is.
                if (Header == null && line.Length > 0) ReadLine(line, _position, apply);
                return Header != null && line.Length > 0;
            }
            catch (IOException e)
            {
                throw LocalError(e);
            }
        }

        private void ReadLine(MemoryStream bytes, long lineStart, Action<JournalRecord> apply)
        {
            var data = bytes.GetBuffer();
            var length = (int)bytes.Length;
            var skip = lineStart == 0 && length >= Bom.Length && data[0] == Bom[0] && data[1] == Bom[1] && data[2] == Bom[2] ? Bom.Length : 0;
            var text = Encoding.UTF8.GetString(data, skip, length - skip).TrimEnd('\r');
            if (Header == null)
            {
                if (skip > 0 && text.Length == 0) return; // only a BOM: the file counts as empty
                Header = ReadHeader(text);
                return;
            }
            if (text.Trim().Length == 0) return;
            try
            {
                var record = JsonSerializer.Deserialize(text, JournalJsonContext.Default.JournalRecord);
                if (record != null) apply(record);
                else SkippedLines++;
            }
            catch (Exception e) when (e is JsonException || e is NotSupportedException)
            {
                SkippedLines++;
            }
        }

        /// <summary>The header, or the error that says what the file is instead (the file is never written to then).</summary>
        private JournalHeader ReadHeader(string text)
        {
            JournalHeader? header = null;
            try
            {
                header = JsonSerializer.Deserialize(text, JournalJsonContext.Default.JournalHeader);
            }
            catch (JsonException)
            {
            }
            if (header != null && header.Journal == JournalHeader.Name && header.Format == JournalHeader.CurrentFormat) return header;
            var message = header != null && header.Journal == JournalHeader.Name ? Messages.JournalFormatUnknown(Path, header.Format)
                : IsFirstFormat(text) ? Messages.JournalOfFirstFormat(Path) : Messages.NotAJournal(Path);
            throw new KlingApiException(KlingErrorKind.JournalInvalid, message) { Target = Path };
        }

        /// <summary>0.1.0 wrote records from the first line on, each with a "kind" of these three.</summary>
        private static bool IsFirstFormat(string line)
        {
            try
            {
                using var json = JsonDocument.Parse(line);
                return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("kind", out var kind)
                    && kind.ValueKind == JsonValueKind.String && (kind.GetString() == "submitting" || kind.GetString() == "submitted" || kind.GetString() == "saved");
            }
            catch (JsonException)
            {
                return false;
            }
        }

        /// <summary>One write of whole lines at the end, after a header for a new file and an end for a torn line, then to the disk itself.</summary>
        private void Append(FileStream file, bool torn, bool withHeader, List<JournalRecord> records)
        {
            var buffer = new MemoryStream();
            if (torn) buffer.WriteByte((byte)'\n');
            if (withHeader) WriteLine(buffer, JsonSerializer.SerializeToUtf8Bytes(Header!, JournalJsonContext.Default.JournalHeader));
            foreach (var record in records) WriteLine(buffer, JsonSerializer.SerializeToUtf8Bytes(record, JournalJsonContext.Default.JournalRecord));
            try
            {
                file.Seek(0, SeekOrigin.End);
                file.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
                file.Flush(flushToDisk: true);
                _position = file.Length;
            }
            catch (IOException e)
            {
                throw LocalError(e);
            }
        }

        private static void WriteLine(MemoryStream buffer, byte[] json)
        {
            buffer.Write(json, 0, json.Length);
            buffer.WriteByte((byte)'\n');
        }

        private KlingApiException LocalError(Exception e) =>
            new KlingApiException(KlingErrorKind.LocalFile, Messages.LocalFileFailed(Path, e.Message), e) { Target = Path };
    }
}
