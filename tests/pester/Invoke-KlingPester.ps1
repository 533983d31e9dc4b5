<#
.SYNOPSIS
    Runs the Pester tests against a built module folder and an emulator started as a process, with the Pester that
    tests/TestPackages.proj pins. Called by the test runner (tests/KlingPS.TestRunner), which restores that Pester first.
    Writes the counts to -SummaryPath as JSON; a test that was skipped, inconclusive or not run counts against the run.
#>
param(
    # The module folder that the build of -Configuration laid out (KlingModuleDir).
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [ValidateSet('Debug', 'Release')] [string] $Configuration,
    [Parameter(Mandatory)] [string] $ResultPath,
    [Parameter(Mandatory)] [string] $SummaryPath
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'KlingPS.TestHelpers.psm1')
# By its path: never a Pester from a module folder of this machine.
Import-Module (Join-Path (Get-TestPackage 'Pester') 'tools/Pester.psd1')

$env:KLINGPS_TEST_MODULE = (Resolve-Path -LiteralPath $ModulePath).Path
$env:KLINGPS_TEST_CONFIGURATION = $Configuration

$config = New-PesterConfiguration
$config.Run.Path = $PSScriptRoot
$config.Run.Exit = $false
$config.Run.PassThru = $true
$config.TestResult.Enabled = $true
$config.TestResult.OutputFormat = 'NUnitXml'
$config.TestResult.OutputPath = $ResultPath
$config.Output.Verbosity = 'Detailed'
# A log (CI pipes the run into tee) gets plain text, not colour escape codes.
if ([Console]::IsOutputRedirected -or [Console]::IsErrorRedirected -or $env:NO_COLOR) {
    $config.Output.RenderMode = 'Plaintext'
    if ($PSStyle) { $PSStyle.OutputRendering = 'PlainText' } # PowerShell's own verbose and error lines (7.2 and later)
}
$run = Invoke-Pester -Configuration $config

[ordered]@{
    passed           = $run.PassedCount
    failed           = $run.FailedCount
    skipped          = $run.SkippedCount
    inconclusive     = $run.InconclusiveCount
    notRun           = $run.NotRunCount
    failedBlocks     = $run.FailedBlocksCount
    failedContainers = $run.FailedContainersCount
    pester           = "$((Get-Module Pester).Version)"
    powershell       = "$($PSVersionTable.PSVersion)"
} | ConvertTo-Json | Set-Content -LiteralPath $SummaryPath -Encoding utf8
