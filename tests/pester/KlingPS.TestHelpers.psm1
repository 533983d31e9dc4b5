# Shared setup for the Pester tests: the module under test, the packages they restore, an emulator process, test images.
# Invoke-KlingPester.ps1 says which module and configuration are under test; the emulator start-up and the way to start
# a new process of this PowerShell are the ones build.ps1 uses too.
Import-Module (Join-Path $PSScriptRoot '../KlingPS.Processes.psm1')
$script:Root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path

# The manifest of the module folder that the test run was started for (the test runner passes it).
function Get-KlingTestManifest {
    if (-not $env:KLINGPS_TEST_MODULE) { throw 'KLINGPS_TEST_MODULE is not set: run the Pester tests through tests/pester/Invoke-KlingPester.ps1.' }
    Join-Path $env:KLINGPS_TEST_MODULE 'KlingPS.psd1'
}

# The folder of a package that tests/TestPackages.proj pins and the test runner restores into .tools/packages.
function Get-TestPackage([string] $Id) {
    $project = [xml](Get-Content -Raw (Join-Path $script:Root 'tests/TestPackages.proj'))
    $version = @($project.Project.ItemGroup.PackageDownload | Where-Object Include -EQ $Id)[0].Version
    if (-not $version) { throw "tests/TestPackages.proj pins no package $Id." }
    $folder = Join-Path $script:Root ".tools/packages/$($Id.ToLowerInvariant())/$($version.Trim('[]'))"
    if (-not (Test-Path -LiteralPath $folder)) { throw "$Id $version is not restored at $folder (the test runner restores tests/TestPackages.proj)." }
    $folder
}

# The emulator of the configuration under test, with short task times.
function Start-TestEmulator([string[]] $Arguments = @()) {
    Start-KlingEmulator -Configuration $env:KLINGPS_TEST_CONFIGURATION -ArgumentList (@('--submitted-seconds', '0.1', '--generation-seconds', '0.5') + $Arguments)
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

Export-ModuleMember -Function Get-KlingTestManifest, Get-TestPackage, Start-TestEmulator, Stop-KlingEmulator, Get-PowerShellCommand, Get-KlingEmulatorLog, New-TestPng
