<#
.SYNOPSIS
    Runs the Pester tests against the built module (out/KlingPS) and an emulator started as a process.
    Called by the test runner (tests/KlingPS.TestRunner); exit code 3 means Pester 5 is not installed.
#>
param(
    [Parameter(Mandatory)] [string] $ResultPath,
    [string] $Configuration = 'Release'
)
$ErrorActionPreference = 'Stop'
if (-not (Get-Module -ListAvailable Pester | Where-Object Version -ge '5.0')) { exit 3 }
Import-Module Pester -MinimumVersion 5.0

$config = New-PesterConfiguration
$config.Run.Path = $PSScriptRoot
$config.Run.Exit = $false
$config.TestResult.Enabled = $true
$config.TestResult.OutputFormat = 'NUnitXml'
$config.TestResult.OutputPath = $ResultPath
$config.Output.Verbosity = 'Detailed'
$env:KLINGPS_TEST_CONFIGURATION = $Configuration
Invoke-Pester -Configuration $config
