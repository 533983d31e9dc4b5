# P1's cmdlet row: the module as built, in the pipeline users write, with every default as it ships. The benchmark runs
# it against an emulator in real time (time scale 1): the cmdlets take whole seconds, so their defaults cannot be
# scaled, and no parameter changes them here. Ends with "result elapsed-ms=... saved=... failed=...".
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $BaseUri,
    [Parameter(Mandatory)] [string] $ImageFolder,
    [Parameter(Mandatory)] [string] $OutFolder,
    [string] $ApiKey = 'test-key'
)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'  # as the loop script does
Import-Module $ModulePath
Connect-Kling -ApiKey (ConvertTo-SecureString $ApiKey -AsPlainText -Force) -BaseUri $BaseUri
$failures = @()

$clock = [Diagnostics.Stopwatch]::StartNew()
$saved = @(Get-ChildItem -Path $ImageFolder -Filter *.png |
    New-KlingImageVideo -Prompt 'slow push-in' -Model 'kling-v2-6' -Mode std -Duration 5 -ErrorAction Continue -ErrorVariable +failures |
    Wait-KlingTask -ErrorAction Continue -ErrorVariable +failures |
    Save-KlingVideo -Path $OutFolder -ErrorAction Continue -ErrorVariable +failures)
$clock.Stop()

foreach ($failure in $failures) { Write-Warning "$failure" }
"result elapsed-ms=$($clock.ElapsedMilliseconds) saved=$($saved.Count) failed=$($failures.Count)"
