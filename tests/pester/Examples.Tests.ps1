# Every example of the help and of README.md, run as written against the emulator. Only what cannot
# run here is replaced: the Azure Automation and Read-Host prompts (stand-ins below), the emulator's
# port, and the sample task ids of the help (by ids of tasks that exist).
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
        if ($code.Trim()) { @{ Name = "README block at offset $($m.Index)"; Code = $code } }
    }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'KlingPS.TestHelpers.psm1') -Force
    Import-Module (Get-KlingTestManifest) -Force
    $script:emu = Start-TestEmulator
    $env:KLINGPS_BASE_URI = $emu.BaseUri    # a Connect-Kling without -BaseUri reaches the emulator, never the service
    $script:key = ConvertTo-SecureString 'test-key' -AsPlainText -Force
    function global:Read-Host { param([switch] $AsSecureString, [Parameter(Position = 0)] $Prompt) ConvertTo-SecureString 'test-key' -AsPlainText -Force }
    function global:Get-AutomationPSCredential { param($Name) [pscredential]::new('cometapi', (ConvertTo-SecureString 'test-key' -AsPlainText -Force)) }
    function global:Get-AutomationVariable { param($Name) 'test-key' }
    function global:Get-Secret { param([Parameter(Position = 0)] $Name, $Vault) ConvertTo-SecureString 'test-key' -AsPlainText -Force }
    $PSDefaultParameterValues['Wait-KlingTask:PollIntervalSec'] = 1

    # The Azure runbook keeps its journal in the temporary folder by default: this run's own, never one an earlier run
    # (of this or another version) left in the machine's.
    $script:temporary = $env:TMPDIR, $env:TMP, $env:TEMP
    $env:TMPDIR = $env:TMP = $env:TEMP = (New-Item -ItemType Directory (Join-Path $TestDrive 'temp')).FullName

    $script:work = Join-Path $TestDrive 'work'
    foreach ($dir in 'stills', 'refs') { New-Item -ItemType Directory (Join-Path $work $dir) | Out-Null }
    foreach ($name in 'stills/cat.png', 'stills/dog.png', 'cat.png', 'harbour.png', 'boat-mask.png', 'refs/a.jpg', 'refs/b.jpg') {
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

    function script:Invoke-Example([string] $Code) {
        foreach ($pair in $substitutions.GetEnumerator()) { $Code = $Code.Replace($pair.Key, $pair.Value) }
        Connect-Kling -ApiKey $key -BaseUri $emu.BaseUri
        # Each example starts from the same folder state: saved videos of an earlier one would block it (no -Force).
        Remove-Item (Join-Path $work 'clips'), (Join-Path $work 'videos') -Recurse -Force -ErrorAction SilentlyContinue
        Push-Location $work
        try {
            $ErrorActionPreference = 'Stop'
            $null = . ([scriptblock]::Create($Code))
        }
        finally {
            Pop-Location
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
        { Invoke-Example $Code } | Should -Not -Throw
    }
}
