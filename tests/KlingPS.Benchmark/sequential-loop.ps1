# The loop a sysadmin writes without KlingPS: one image at a time, submit, poll every few seconds until
# the task is final, download, next. The benchmark runs it against the emulator (P1, P2). Bounded: a task
# still running after -TimeoutSec is given up. Ends with "result elapsed-ms=... saved=... failed=...".
param(
    [Parameter(Mandatory)] [string] $BaseUri,
    [Parameter(Mandatory)] [string] $ImageFolder,
    [Parameter(Mandatory)] [string] $OutFolder,
    [string] $ApiKey = 'test-key',
    [int] $PollMilliseconds = 5000,
    [int] $TimeoutSec = 600
)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'  # as scripts usually do: the progress bar slows Invoke-WebRequest down
$headers = @{ Authorization = "Bearer $ApiKey" }
$api = $BaseUri.TrimEnd('/') + '/kling/v1/videos/image2video'
$saved = 0; $failed = 0
$clock = [Diagnostics.Stopwatch]::StartNew()

foreach ($file in Get-ChildItem -Path $ImageFolder -Filter *.png | Sort-Object Name) {
    $body = @{
        image      = [Convert]::ToBase64String([IO.File]::ReadAllBytes($file.FullName))
        prompt     = 'slow push-in'
        model_name = 'kling-v2-6'
        mode       = 'std'
        duration   = '5'
    } | ConvertTo-Json
    $created = Invoke-RestMethod -Method Post -Uri $api -Headers $headers -ContentType 'application/json' -Body $body
    $id = $created.data.task_id

    $deadline = (Get-Date).AddSeconds($TimeoutSec)
    do {
        Start-Sleep -Milliseconds $PollMilliseconds
        $task = (Invoke-RestMethod -Uri "$api/$id" -Headers $headers).data
    } while ($task.task_status -notin 'succeed', 'failed' -and (Get-Date) -lt $deadline)

    if ($task.task_status -eq 'succeed') {
        Invoke-WebRequest -Uri $task.task_result.videos[0].url -OutFile (Join-Path $OutFolder ($file.BaseName + '.mp4'))
        $saved++
    }
    else {
        Write-Warning "$($file.Name): task $id $($task.task_status) $($task.task_status_msg)"
        $failed++
    }
}
"result elapsed-ms=$($clock.ElapsedMilliseconds) saved=$saved failed=$failed"
