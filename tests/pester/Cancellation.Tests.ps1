# Ctrl+C: a stopped pipeline returns promptly and leaves no partial files. PowerShell.Stop() is what
# the host calls on Ctrl+C: it runs each cmdlet's StopProcessing.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'KlingPS.TestHelpers.psm1') -Force
    $script:module = Get-KlingTestManifest
    # Tasks that take two minutes: whatever is stopped is still in flight.
    $script:slow = Start-TestEmulator -Arguments '--generation-seconds', '120'
    $script:stills = Join-Path $TestDrive 'stills'
    New-Item -ItemType Directory $stills | Out-Null
    1..3 | ForEach-Object { New-TestPng (Join-Path $stills "img$_.png") | Out-Null }
}

AfterAll { Stop-KlingEmulator $slow }

Describe 'Ctrl+C' {
    It 'stops a waiting pipeline within seconds and leaves nothing half-written' {
        $clips = Join-Path $TestDrive 'clips'
        $ps = [PowerShell]::Create()
        $null = $ps.AddScript(@"
Import-Module '$module'
Connect-Kling -ApiKey (ConvertTo-SecureString 'test-key' -AsPlainText -Force) -BaseUri '$($slow.BaseUri)'
Get-ChildItem '$stills/*.png' | New-KlingImageVideo | Wait-KlingTask -PollIntervalSec 1 | Save-KlingVideo -Path '$clips'
"@)
        $running = $ps.BeginInvoke()
        # Wait until the tasks exist, so the stop hits the wait, not the import.
        $deadline = [DateTime]::UtcNow.AddSeconds(30)
        while ((Invoke-RestMethod "$($slow.BaseUri)_emulator/stats").tasksCreated -lt 3 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 200 }
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $ps.Stop()
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 5
        $running.IsCompleted | Should -BeTrue
        @(Get-ChildItem $TestDrive -Recurse -Filter '*.part' -Force).Count | Should -Be 0
        # The tasks go on at the service, paid for: the stopped commands say so, with the command that picks them up.
        $named = foreach ($warning in $ps.Streams.Warning) {
            $warning.Message | Should -Match '^Stopped with [0-9]+ paid task\(s\) still running at the service.*Pick them up with Get-KlingTask -TaskId [0-9, ]+ \| Wait-KlingTask \| Save-KlingVideo\.$'
            ($warning.Message -replace '^.*Get-KlingTask -TaskId ([0-9, ]+) \|.*$', '$1') -split ', '
        }
        @($named | Sort-Object -Unique).Count | Should -Be 3
        $ps.Dispose()
    }
}
