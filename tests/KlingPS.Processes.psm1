# The processes that build.ps1 Demo and the Pester tests start: the emulator, and a new process of this same
# PowerShell. Imported by build.ps1, so it keeps to Windows PowerShell 5.1 syntax.

function Get-PowerShellCommand {
    <#
    .SYNOPSIS
        The program and the first arguments that start the PowerShell running this: its pwsh or powershell.exe,
        or, for PowerShell run as a .NET tool (dotnet pwsh), dotnet and its pwsh.dll. Never a look-up on PATH.
    #>
    [CmdletBinding()]
    param()
    $process = (Get-Process -Id $PID).Path
    if ([IO.Path]::GetFileNameWithoutExtension($process) -ne 'dotnet') {
        return [pscustomobject]@{ FilePath = $process; ArgumentList = [string[]]@() }
    }
    # Hosted by dotnet: the process is dotnet and the entry assembly (the first command-line argument) is pwsh.dll.
    $entry = [Environment]::GetCommandLineArgs()[0]
    if ([IO.Path]::GetFileName($entry) -ne 'pwsh.dll') {
        throw "This PowerShell runs in dotnet with '$entry' as its entry, not pwsh.dll: it cannot be started again."
    }
    [pscustomobject]@{ FilePath = $process; ArgumentList = [string[]]@($entry) }
}

function Start-KlingEmulator {
    <#
    .SYNOPSIS
        Starts the built emulator (tests/KlingPS.Emulator) on a free loopback port and returns its process and base URI.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [ValidateSet('Debug', 'Release')] [string] $Configuration,
        [string[]] $ArgumentList = @(),
        [TimeSpan] $StartTimeout = [TimeSpan]::FromMinutes(1)
    )
    $dll = Join-Path $PSScriptRoot "KlingPS.Emulator/bin/$Configuration/net10.0/KlingPS.Emulator.dll"
    if (-not (Test-Path -LiteralPath $dll)) { throw "The emulator is not built: $dll is missing (dotnet build KlingPS.sln -c $Configuration)." }
    $start = New-Object System.Diagnostics.ProcessStartInfo 'dotnet', ("`"$dll`" --port 0 " + ($ArgumentList -join ' '))
    # Redirected stdin: the emulator stops by itself when this process ends and its end of the pipe closes.
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardInput = $true
    $start.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($start)
    # Its first line says where it listens; it writes nothing else to stdout.
    $line = $process.StandardOutput.ReadLineAsync()
    if (-not $line.Wait($StartTimeout) -or $line.Result -notmatch 'listening on (\S+)') {
        $said = if ($line.IsCompleted) { "it said: $($line.Result)" } else { "nothing within $StartTimeout" }
        if (-not $process.HasExited) { $process.Kill() }
        throw "The emulator did not start ($said)."
    }
    [pscustomobject]@{ Process = $process; BaseUri = $Matches[1] }
}

function Stop-KlingEmulator {
    [CmdletBinding()]
    param([Parameter(Position = 0)] $Emulator)
    if ($Emulator -and -not $Emulator.Process.HasExited) {
        $Emulator.Process.Kill()
        $null = $Emulator.Process.WaitForExit(10000)
    }
}

Export-ModuleMember -Function Get-PowerShellCommand, Start-KlingEmulator, Stop-KlingEmulator
