using System;
using System.Threading.Tasks;

namespace KlingPS.FrameworkCheck
{
    /// <summary>A failed expectation; its message is the FAIL line's reason.</summary>
    internal sealed class CheckFailed : Exception
    {
        public CheckFailed(string message) : base(message) { }
    }

    /// <summary>Counts checks and prints one line for each.</summary>
    internal sealed class Report
    {
        public int Passed { get; private set; }
        public int Failed { get; private set; }

        public static void Expect(bool condition, string whatWasWrong)
        {
            if (!condition) throw new CheckFailed(whatWasWrong);
        }

        public void Pass(string name)
        {
            Passed++;
            Console.WriteLine("PASS  " + name);
        }

        public void Fail(string name, string reason)
        {
            Failed++;
            Console.WriteLine("FAIL  " + name + ": " + reason);
        }

        public void Note(string line) => Console.WriteLine("      " + line);

        public T? Check<T>(string name, Func<T> body) where T : class
        {
            try
            {
                var result = body();
                Pass(name);
                return result;
            }
            catch (Exception e)
            {
                Fail(name, Describe(e));
                return null;
            }
        }

        public async Task<T?> CheckAsync<T>(string name, Func<Task<T>> body) where T : class
        {
            try
            {
                var result = await body().ConfigureAwait(false);
                Pass(name);
                return result;
            }
            catch (Exception e)
            {
                Fail(name, Describe(e));
                return null;
            }
        }

        private static string Describe(Exception e) => e is CheckFailed ? e.Message : e.GetType().Name + ": " + e.Message + Environment.NewLine + e;
    }
}
