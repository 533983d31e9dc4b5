# Shared setup for the Pester tests: the built module and an emulator process on a free port.
$script:Root = Resolve-Path (Join-Path $PSScriptRoot '../..')

function Start-KlingEmulator {
    param([string[]] $Arguments = @())
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
    $dll = Join-Path $script:Root "tests/KlingPS.Emulator/bin/$($env:KLINGPS_TEST_CONFIGURATION ?? 'Release')/net10.0/KlingPS.Emulator.dll"
    $psi = [System.Diagnostics.ProcessStartInfo]::new('dotnet', "`"$dll`" --port $port --submitted-seconds 0.1 --generation-seconds 0.5 $($Arguments -join ' ')")
    $psi.RedirectStandardOutput = $true; $psi.RedirectStandardInput = $true; $psi.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($psi)
    $line = $process.StandardOutput.ReadLine()
    if ($line -notmatch 'listening on (\S+)') { throw "The emulator did not start: $line" }
    [pscustomobject]@{ Process = $process; BaseUri = $Matches[1] }
}

function Stop-KlingEmulator($Emulator) {
    if ($Emulator -and -not $Emulator.Process.HasExited) { $Emulator.Process.Kill(); $Emulator.Process.WaitForExit() }
}

# Invoke-RestMethod writes a JSON array as one object; unroll it so that an empty log counts 0.
function Get-KlingEmulatorLog($Emulator) { foreach ($entry in (Invoke-RestMethod "$($Emulator.BaseUri)_emulator/log")) { $entry } }

function New-TestPng([string] $Path, [int] $Width = 400, [int] $Height = 300) {
    # A real PNG, written byte by byte: no imaging library needed.
    $crc = { param([byte[]] $b) $c = [uint32]::MaxValue; foreach ($x in $b) { $c = $c -bxor $x; for ($k = 0; $k -lt 8; $k++) { $c = if ($c -band 1) { 0xEDB88320 -bxor ($c -shr 1) } else { $c -shr 1 } } }; -bnot $c -band [uint32]::MaxValue }
    $chunk = { param([string] $type, [byte[]] $data)
        $t = [Text.Encoding]::ASCII.GetBytes($type); $len = [BitConverter]::GetBytes([uint32]$data.Length); [Array]::Reverse($len)
        $c = [BitConverter]::GetBytes([uint32](& $crc ($t + $data))); [Array]::Reverse($c); $len + $t + $data + $c }
    $ihdr = [byte[]]::new(13); $w = [BitConverter]::GetBytes([uint32]$Width); [Array]::Reverse($w); $h = [BitConverter]::GetBytes([uint32]$Height); [Array]::Reverse($h)
    [Array]::Copy($w, 0, $ihdr, 0, 4); [Array]::Copy($h, 0, $ihdr, 4, 4); $ihdr[8] = 8; $ihdr[9] = 2
    $raw = [IO.MemoryStream]::new(); $z = [IO.Compression.ZLibStream]::new($raw, [IO.Compression.CompressionLevel]::Optimal)
    $row = [byte[]]::new(1 + 3 * $Width); for ($y = 0; $y -lt $Height; $y++) { $z.Write($row, 0, $row.Length) }; $z.Dispose()
    $bytes = [byte[]](0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A) + (& $chunk 'IHDR' $ihdr) + (& $chunk 'IDAT' $raw.ToArray()) + (& $chunk 'IEND' ([byte[]]@()))
    [IO.File]::WriteAllBytes($Path, $bytes)
    Get-Item $Path
}

Export-ModuleMember -Function Start-KlingEmulator, Stop-KlingEmulator, Get-KlingEmulatorLog, New-TestPng
