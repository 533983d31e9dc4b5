using System;
using System.Net;
using System.Net.Http;
using System.Runtime.InteropServices;

namespace KlingPS.Core.Client
{
    /// <summary>The one place that knows how HTTP differs between .NET Framework (Windows PowerShell 5.1) and .NET.</summary>
    internal static class HttpHandlerFactory
    {
        /// <summary>
        /// A handler for the API (<paramref name="decompress"/>: JSON may come compressed) or for files, whose bodies are taken
        /// as sent: a video is never decompressed on the way to disk.
        /// </summary>
        public static HttpMessageHandler Create(KlingClientOptions options, bool decompress = true)
        {
            if (IsNetFramework) EnableModernTls();
            var handler = new HttpClientHandler
            {
                // A redirect means a wrong path (API README); following it would hide that, and could carry the key elsewhere.
                AllowAutoRedirect = false,
                AutomaticDecompression = decompress ? DecompressionMethods.GZip | DecompressionMethods.Deflate : DecompressionMethods.None,
                UseProxy = true,
            };
            if (options.Proxy != null) handler.Proxy = options.Proxy;
            try
            {
                // .NET Framework allows 2 connections per host by default, which would serialize a batch.
                handler.MaxConnectionsPerServer = options.MaxConnectionsPerServer;
            }
            catch (PlatformNotSupportedException)
            {
                ServicePointManager.DefaultConnectionLimit = Math.Max(ServicePointManager.DefaultConnectionLimit, options.MaxConnectionsPerServer);
            }
            return handler;
        }

        internal static bool IsNetFramework =>
            RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase);

        /// <summary>
        /// Windows PowerShell may still default to TLS 1.0; CometAPI needs 1.2+. Only adds protocols
        /// (never removes one another module relies on), the least process-wide change possible on .NET Framework.
        /// </summary>
        private static void EnableModernTls()
        {
            const SecurityProtocolType tls13 = (SecurityProtocolType)12288;
            var current = ServicePointManager.SecurityProtocol;
            if (current == 0) return; // SystemDefault: the OS chooses, and picks 1.2+ on supported Windows.
            var wanted = current | SecurityProtocolType.Tls12;
            try
            {
                ServicePointManager.SecurityProtocol = wanted | tls13;
            }
            catch (NotSupportedException)
            {
                ServicePointManager.SecurityProtocol = wanted;
            }
        }
    }
}
