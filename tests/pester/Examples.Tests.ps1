# Every example of the help and of README.md, run as written against the emulator, from where it says to run it: a
# README block whose first line is "# From the repository root" runs there, every other one in a folder that holds what
# the examples name (stills/, cat.png, jobs.csv, ...). Only what cannot run here is replaced: the Azure Automation and
# Read-Host prompts (stand-ins below), the $WebhookData a webhook gives a runbook (a real callback of the emulator), the
# emulator's port, the sample task ids of the help (by ids of tasks that exist), and the runbooks' parameters (a folder
# and a URL of images, and a work folder in the test drive).
BeforeDiscovery {
    $root = Resolve-Path (Join-Path $PSScriptRoot '../..')
    Import-Module (Join-Path $PSScriptRoot 'KlingPS.TestHelpers.psm1') -Force
    Import-Module (Get-KlingTestManifest) -Force
    $script:examples = foreach ($command in (Get-Command -Module KlingPS | Sort-Object Name)) {
        $n = 0
        foreach ($example in (Get-Help $command.Name -Examples).Examples.Example) {
            $n++
            @{ Name = "$($command.Name) example $n"; Code = ($example.Code -join "`n") }
        }
    }
    $readme = Get-Content -Raw (Join-Path $root 'README.md')
    $script:readmeBlocks = foreach ($m in [regex]::Matches($readme, '```powershell\r?\n(.*?)```', 'Singleline')) {
        # Build and emulator-start lines are the setup this test does itself.
        $code = ($m.Groups[1].Value -split "`n" | Where-Object { $_ -notmatch '^\s*(dotnet |\./build\.ps1|Import-Module \./out)' }) -join "`n"
        $fromRoot = $m.Groups[1].Value -match '^# From the repository root'
        if ($code.Trim()) { @{ Name = "README block at offset $($m.Index)"; Code = $code; FromRoot = $fromRoot } }
    }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'KlingPS.TestHelpers.psm1') -Force
    Import-Module (Get-KlingTestManifest) -Force
    # Callbacks signed with the secret the Get-AutomationVariable stand-in gives, and not retried: nothing listens for them.
    $script:emu = Start-TestEmulator -Arguments '--callback-secret', 'test-key', '--callback-retries', '0'
    $env:KLINGPS_BASE_URI = $emu.BaseUri    # a Connect-Kling without -BaseUri reaches the emulator, never the service
    $script:key = ConvertTo-SecureString 'test-key' -AsPlainText -Force
    function global:Read-Host { param([switch] $AsSecureString, [Parameter(Position = 0)] $Prompt) ConvertTo-SecureString 'test-key' -AsPlainText -Force }
    function global:Get-AutomationPSCredential { param($Name) [pscredential]::new('cometapi', (ConvertTo-SecureString 'test-key' -AsPlainText -Force)) }
    function global:Get-AutomationVariable { param($Name) if ($Name -like '*Url') { 'https://stand-in.webhook.example/webhooks?token=stand-in' } else { 'test-key' } }
    function global:Get-Secret { param([Parameter(Position = 0)] $Name, $Vault) ConvertTo-SecureString 'test-key' -AsPlainText -Force }
    $PSDefaultParameterValues['Wait-KlingTask:PollIntervalSec'] = 1

    # The Azure runbook keeps its journal in the temporary folder by default: this run's own, never one an earlier run
    # (of this or another version) left in the machine's.
    $script:temporary = $env:TMPDIR, $env:TMP, $env:TEMP
    $env:TMPDIR = $env:TMP = $env:TEMP = (New-Item -ItemType Directory (Join-Path $TestDrive 'temp')).FullName

    $script:root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $script:work = Join-Path $TestDrive 'work'
    foreach ($dir in 'stills', 'refs') { New-Item -ItemType Directory (Join-Path $work $dir) | Out-Null }
    # A name that a wildcard reading gets wrong: the one-liner and the runbook must take it by its literal path. Three
    # cats that only their extension or folder tells apart: each runbook must make a task of each it reads (the Azure
    # runbook reads subfolders too), not refuse some as duplicates.
    New-Item -ItemType Directory (Join-Path $work 'stills/more') | Out-Null
    foreach ($name in 'stills/cat.png', 'stills/cat.jpg', 'stills/more/cat.png', 'stills/dog.png', 'stills/owl [1].png', 'cat.png', 'harbour.png', 'boat-mask.png', 'refs/a.jpg', 'refs/b.jpg') {
        New-TestPng (Join-Path $work $name) 480 320 | Out-Null
    }
    @([pscustomobject]@{ Path = (Join-Path $work 'cat.png'); Prompt = 'the cat blinks'; Mode = 'std'; Duration = 5 }) |
        Export-Csv (Join-Path $work 'jobs.csv') -NoTypeInformation

    Connect-Kling -ApiKey $key -BaseUri $emu.BaseUri
    $single = New-KlingImageVideo -Path (Join-Path $work 'cat.png') -ExternalTaskId 'nightly-cat-001' | Wait-KlingTask
    $multi = New-KlingMultiImageVideo -Path (Join-Path $work 'refs/*.jpg') -Prompt 'pan' | Wait-KlingTask
    $script:substitutions = [ordered]@{
        '2032273942220931072'    = $single.TaskId
        '861309198188019719'     = $multi.TaskId
        'http://127.0.0.1:5080/' = $emu.BaseUri
    }

    # What Azure Automation gives a runbook that a webhook started: the final callback of a task of its own, as the
    # emulator posted it to a loopback port where nothing listens (its log keeps every attempt, body and headers).
    function script:New-WebhookData {
        $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
        $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
        $id = "webhook-$([guid]::NewGuid().ToString('N'))"
        $null = New-KlingImageVideo -Path (Join-Path $work 'cat.png') -ExternalTaskId $id -CallbackUrl "http://127.0.0.1:$port/hook"
        $deadline = (Get-Date).AddSeconds(30)
        do {
            Start-Sleep -Milliseconds 100
            $final = foreach ($delivery in (Invoke-RestMethod "$($emu.BaseUri)_emulator/callbacks")) {
                $task = $delivery.body | ConvertFrom-Json
                if ($task.task_info.external_task_id -eq $id -and $task.task_status -eq 'succeed') { $delivery }
            }
        } until ($final -or (Get-Date) -gt $deadline)
        if (-not $final) { throw "The emulator posted no final callback for task $id within 30 s." }
        [pscustomobject]@{ WebhookName = 'kling-callbacks'; RequestBody = $final.body; RequestHeader = $final.headers }
    }

    # The runbooks' images: the folder with the odd name in it, and a URL (the emulator, like the service, takes it
    # unfetched); each runbook gets those of its parameters it declares.
    $script:runbookArguments = @{ ImageFolder = (Join-Path $work 'stills'); ImageUrl = 'https://example.com/stills/heron.png'; WorkFolder = (Join-Path $TestDrive 'runbook') }

    function script:Invoke-Example([string] $Code, [switch] $FromRoot) {
        foreach ($pair in $substitutions.GetEnumerator()) { $Code = $Code.Replace($pair.Key, $pair.Value) }
        Connect-Kling -ApiKey $key -BaseUri $emu.BaseUri
        # Each example starts from the same folder state: saved videos of an earlier one would block it (no -Force).
        $made = (Join-Path $work 'clips'), (Join-Path $work 'videos'), (Join-Path $root 'out/clips')
        Remove-Item $made -Recurse -Force -ErrorAction SilentlyContinue
        $example = [scriptblock]::Create($Code)
        $declared = @($example.Ast.ParamBlock.Parameters.Name.VariablePath.UserPath)
        $arguments = @{}
        foreach ($name in $runbookArguments.Keys) { if ($declared -contains $name) { $arguments[$name] = $runbookArguments[$name] } }
        if ($Code -match '\$WebhookData\b') {
            # A runbook declares it as a parameter, which the webhook fills; help examples use the variable.
            $WebhookData = New-WebhookData
            if ($declared -contains 'WebhookData') { $arguments.WebhookData = $WebhookData }
        }
        Push-Location $(if ($FromRoot) { $root } else { $work })
        try {
            $ErrorActionPreference = 'Stop'
            $null = . $example @arguments
        }
        finally {
            Pop-Location
            Remove-Item (Join-Path $root 'out/clips') -Recurse -Force -ErrorAction SilentlyContinue
        }
    }
}

AfterAll {
    $env:TMPDIR, $env:TMP, $env:TEMP = $temporary
    Remove-Item Env:KLINGPS_BASE_URI -ErrorAction SilentlyContinue
    Remove-Item Function:Read-Host, Function:Get-AutomationPSCredential, Function:Get-AutomationVariable, Function:Get-Secret -ErrorAction SilentlyContinue
    $PSDefaultParameterValues.Remove('Wait-KlingTask:PollIntervalSec')
    Stop-KlingEmulator $emu
}

Describe 'Help examples' {
    It '<Name> runs as written' -ForEach $examples {
        { Invoke-Example $Code } | Should -Not -Throw
    }
}

Describe 'README examples' {
    It '<Name> runs as written' -ForEach $readmeBlocks {
        { Invoke-Example $Code -FromRoot:$FromRoot } | Should -Not -Throw
    }
}
