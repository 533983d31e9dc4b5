# The module as a user loads it: the built module folder, against the emulator started as a process.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'KlingPS.TestHelpers.psm1') -Force
    $script:manifest = Get-KlingTestManifest
    Import-Module $manifest -Force
    $script:emu = Start-TestEmulator
    $script:key = ConvertTo-SecureString 'test-key' -AsPlainText -Force
    Connect-Kling -ApiKey $key -BaseUri $emu.BaseUri -RetryIntervalSec 1
    $script:stills = Join-Path $TestDrive 'stills'
    New-Item -ItemType Directory $stills | Out-Null
    'cat', 'dog', 'owl' | ForEach-Object { New-TestPng (Join-Path $stills "$_.png") }
}

AfterAll {
    Disconnect-Kling
    Stop-KlingEmulator $emu
    Remove-Module KlingPS -ErrorAction SilentlyContinue
}

Describe 'KlingPS module' {
    It 'exports exactly its cmdlets' {
        (Get-Command -Module KlingPS).Name | Sort-Object | Should -Be @(
            'Connect-Kling', 'ConvertFrom-KlingCallback', 'Disconnect-Kling', 'Get-KlingContext', 'Get-KlingTask', 'New-KlingDynamicMask',
            'New-KlingImageVideo', 'New-KlingMultiImageVideo', 'Save-KlingVideo', 'Wait-KlingTask')
    }

    It 'runs the one-liner: submit, wait, save, named after the images' {
        $clips = Join-Path $TestDrive 'clips'
        $files = Get-ChildItem "$stills/*.png" | New-KlingImageVideo -Prompt 'slow push-in' -Mode pro |
            Wait-KlingTask | Save-KlingVideo -Path $clips
        $files.Name | Sort-Object | Should -Be @('cat.mp4', 'dog.mp4', 'owl.mp4')
        $files | ForEach-Object { $_ | Should -BeOfType System.IO.FileInfo; $_.Length | Should -BeGreaterThan 0 }
    }

    It '-WhatIf sends nothing' {
        Invoke-RestMethod -Method Delete "$($emu.BaseUri)_emulator/log"
        Get-ChildItem "$stills/*.png" | New-KlingImageVideo -Prompt 'x' -WhatIf
        @(Get-KlingEmulatorLog $emu).Count | Should -Be 0
    }

    It 'refuses a -JournalPath that is not a journal, leaving it byte for byte, and -WhatIf creates no journal' {
        $notes = Join-Path $TestDrive 'notes.md'
        Set-Content -LiteralPath $notes -Value (1..500 | ForEach-Object { "note $_" })
        $before = [IO.File]::ReadAllBytes($notes)
        { Get-ChildItem "$stills/*.png" | New-KlingImageVideo -JournalPath $notes -WhatIf } | Should -Throw -ErrorId 'JournalInvalid*'
        [IO.File]::ReadAllBytes($notes) | Should -Be $before
        $journal = Join-Path $TestDrive 'new.journal'
        Get-ChildItem "$stills/*.png" | New-KlingImageVideo -JournalPath $journal -WhatIf
        Test-Path -LiteralPath $journal | Should -BeFalse
    }

    It 'reports a bad item as a non-terminating error and goes on with the rest' {
        $tiny = New-TestPng (Join-Path $TestDrive 'tiny.png') 200 200
        $tasks = @($tiny.FullName, (Join-Path $stills 'cat.png')) | New-KlingImageVideo -ErrorVariable bad -ErrorAction SilentlyContinue
        @($tasks).Count | Should -Be 1
        $bad[0].FullyQualifiedErrorId | Should -BeLike 'ImageTooSmall*'
        $bad[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $bad[0].Exception.Message | Should -Be 'tiny.png is 200 x 200 px; Kling needs at least 300 px on each side.'
    }

    It 'runs a CSV batch in which each row has its own settings' {
        $csv = Join-Path $TestDrive 'jobs.csv'
        @(
            [pscustomobject]@{ Path = (Join-Path $stills 'cat.png'); Prompt = 'cat blinks'; Duration = 5; Mode = 'std' }
            [pscustomobject]@{ Path = (Join-Path $stills 'dog.png'); Prompt = 'dog runs'; Duration = 10; Mode = 'pro' }
        ) | Export-Csv $csv -NoTypeInformation
        Invoke-RestMethod -Method Delete "$($emu.BaseUri)_emulator/log"
        $tasks = Import-Csv $csv | New-KlingImageVideo
        @($tasks).Count | Should -Be 2
        $bodies = (Get-KlingEmulatorLog $emu | Where-Object method -eq 'POST').body | ConvertFrom-Json
        ($bodies | Where-Object prompt -eq 'dog runs').duration | Should -Be '10'
        ($bodies | Where-Object prompt -eq 'cat blinks').mode | Should -Be 'std'
    }

    It 'gets a task by id from the pipeline and by external id' {
        $task = New-KlingImageVideo -Path (Join-Path $stills 'owl.png') -ExternalTaskId "pester-$(New-Guid)"
        ($task | Get-KlingTask).TaskId | Should -Be $task.TaskId
        (Get-KlingTask -ExternalTaskId $task.ExternalTaskId).TaskId | Should -Be $task.TaskId
    }

    It 'never shows the key' {
        $context = Get-KlingContext
        $context.ApiKeyHint | Should -Be '****'
        ($context | Out-String) | Should -Not -Match 'test-key'
    }

    It 'has help with examples for every cmdlet' {
        foreach ($name in (Get-Command -Module KlingPS).Name) {
            $help = Get-Help $name -Full
            $help.Synopsis | Should -Not -BeNullOrEmpty
            @($help.Examples.Example).Count | Should -BeGreaterOrEqual 2
        }
    }

    It 'keeps the connection per runspace' {
        $ps = [PowerShell]::Create()
        $null = $ps.AddScript("Import-Module '$manifest'; Get-KlingContext").Invoke()
        $ps.Streams.Error.Count | Should -Be 0
        $result = $ps.Invoke()
        $ps.Dispose()
        $env:COMETAPI_KEY | Should -BeNullOrEmpty
        @($result).Count | Should -Be 0
    }
}
