# P4's naive PowerShell submission: each image read whole, Base64-encoded, put into JSON with
# ConvertTo-Json and posted, one after another. Prints this process's peak memory over the
# submissions: "result baseline=<bytes> peak=<bytes>".
param(
    [Parameter(Mandatory)] [string] $BaseUri,
    [Parameter(Mandatory)] [string] $ImageFolder,
    [Parameter(Mandatory)] [string] $WarmupImage,
    [string] $ApiKey = 'test-key'
)
$ErrorActionPreference = 'Stop'
$api = $BaseUri.TrimEnd('/') + '/kling/v1/videos/image2video'

function Submit([string] $Path) {
    $body = @{
        image      = [Convert]::ToBase64String([IO.File]::ReadAllBytes($Path))
        prompt     = 'slow push-in'
        model_name = 'kling-v2-6'
        duration   = '5'
    } | ConvertTo-Json
    $null = Invoke-RestMethod -Method Post -Uri $api -Headers @{ Authorization = "Bearer $ApiKey" } -ContentType 'application/json' -Body $body
}

Submit $WarmupImage  # loads and compiles everything once, so the peak below is the images' alone
[GC]::Collect()
# Linux: writing 5 to clear_refs resets the peak (VmHWM) to the current size.
if (Test-Path /proc/self/clear_refs) { [IO.File]::WriteAllText('/proc/self/clear_refs', '5') }
$self = [Diagnostics.Process]::GetCurrentProcess()
$baseline = $self.WorkingSet64
foreach ($file in Get-ChildItem -Path $ImageFolder -Filter *.png) { Submit $file.FullName }
$self.Refresh()
"result baseline=$baseline peak=$($self.PeakWorkingSet64)"
