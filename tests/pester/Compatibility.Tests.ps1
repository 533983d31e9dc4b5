# Loading: Remove-Module and a second import, another module with its own System.Text.Json, two runspaces
# with two keys. The first two run in a child PowerShell, so that the process starts with nothing loaded,
# as a user's session (or an Azure Automation job) does; the test files before this one have loaded KlingPS.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'KlingPS.TestHelpers.psm1') -Force
    $script:manifest = Get-KlingTestManifest
    $script:emu = Start-TestEmulator -Arguments '--key', 'test-key', '--key', 'alpha-key-1111', '--key', 'bravo-key-2222'
    $script:still = (New-TestPng (Join-Path $TestDrive 'cat.png')).FullName

    # Runs a script in a new process of this same PowerShell; its last output line is JSON.
    function Invoke-InNewProcess([string] $Script, [TimeSpan] $Timeout = [TimeSpan]::FromMinutes(2)) {
        $shell = Get-PowerShellCommand
        $start = [Diagnostics.ProcessStartInfo]::new($shell.FilePath)
        foreach ($argument in $shell.ArgumentList) { $start.ArgumentList.Add($argument) }
        $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes("`$ErrorActionPreference = 'Stop'`n" + $Script))
        # As text: with an encoded command, a redirected stderr would otherwise carry progress as CLIXML.
        foreach ($argument in '-NoProfile', '-NonInteractive', '-OutputFormat', 'Text', '-EncodedCommand', $encoded) { $start.ArgumentList.Add($argument) }
        $start.RedirectStandardOutput = $true; $start.RedirectStandardError = $true; $start.RedirectStandardInput = $true
        $process = [Diagnostics.Process]::Start($start)
        $process.StandardInput.Close()
        $stdout = $process.StandardOutput.ReadToEndAsync(); $stderr = $process.StandardError.ReadToEndAsync()
        if (-not $process.WaitForExit([int]$Timeout.TotalMilliseconds)) {
            $process.Kill($true)
            throw "The child PowerShell did not finish within $Timeout."
        }
        $output = $stdout.Result.TrimEnd() -split '\r?\n'
        if ($process.ExitCode -ne 0) { throw "The child PowerShell failed ($($process.ExitCode)): $($stdout.Result)$($stderr.Result)" }
        $output[-1] | ConvertFrom-Json
    }

    # The other module's System.Text.Json, restored by the test runner (tests/TestPackages.proj). Version 9.0: neither the
    # module's 8.0 nor pwsh 7.6's own 10.0, so that in a load context of its own it is a third copy in the process; and
    # lower than the runtime's, so that Add-Type -Path loads it on PowerShell 7 without error (the runtime's copy wins).
    # The netstandard2.0 build, what a module for both Windows PowerShell and PowerShell 7 ships.
    function Get-OtherJsonPath { Join-Path (Get-TestPackage 'System.Text.Json') 'lib/netstandard2.0/System.Text.Json.dll' }
}

AfterAll { Stop-KlingEmulator $emu }

Describe 'Import, Remove-Module, import again' {
    It 'works, leaves with Remove-Module (resolver and connection included), and works again after a second import in the same session' {
        $clips = Join-Path $TestDrive 'clips-reimport'
        $result = Invoke-InNewProcess @"
`$key = ConvertTo-SecureString 'test-key' -AsPlainText -Force
Import-Module '$manifest'
`$resolver = [KlingPS.Infrastructure.ModuleLifetime].Assembly.GetType('KlingPS.Infrastructure.DependencyResolver')
`$registered = { `$resolver.GetProperty('IsRegistered', [Reflection.BindingFlags]'NonPublic, Static').GetValue(`$null) }
`$first = [ordered]@{ Registered = & `$registered }
Connect-Kling -ApiKey `$key -BaseUri '$($emu.BaseUri)'
`$first.Status = "`$((New-KlingImageVideo -LiteralPath '$still' | Wait-KlingTask -PollIntervalSec 1).Status)"
Remove-Module KlingPS
`$removed = [ordered]@{ Registered = & `$registered; Cmdlets = @(Get-Command -Name *-Kling* -ErrorAction SilentlyContinue).Count }
Import-Module '$manifest'
`$second = [ordered]@{ Registered = & `$registered; Cmdlets = @(Get-Command -Module KlingPS).Count; Context = @(Get-KlingContext).Count }
Connect-Kling -ApiKey `$key -BaseUri '$($emu.BaseUri)'
`$second.Saved = (New-KlingImageVideo -LiteralPath '$still' | Wait-KlingTask -PollIntervalSec 1 | Save-KlingVideo -Path '$clips').Name
[pscustomobject]@{ First = `$first; Removed = `$removed; Second = `$second } | ConvertTo-Json -Compress
"@
        $result.First.Registered | Should -BeTrue
        $result.First.Status | Should -Be 'Succeeded'
        $result.Removed.Cmdlets | Should -Be 0
        $result.Removed.Registered | Should -BeFalse
        $result.Second.Registered | Should -BeTrue
        $result.Second.Cmdlets | Should -Be 10
        $result.Second.Context | Should -Be 0 -Because 'Remove-Module forgets the connection'
        $result.Second.Saved | Should -Be 'cat.mp4'
        Test-Path (Join-Path $clips 'cat.mp4') | Should -BeTrue
    }
}

Describe 'Beside another module with its own System.Text.Json' {
    # AddType: the other module's psm1 loads its copy with Add-Type -Path (into the shared context; on PowerShell 7
    # the runtime's copy wins). Context: it loads it into a load context of its own, as Az.Accounts does on PowerShell 7.
    It 'imports and works after a module that loads System.Text.Json by <Mode>' -ForEach @(
        @{ Mode = 'AddType'; Load = 'Add-Type -Path $path; $script:Json = [System.Text.Json.JsonDocument].Assembly' }
        @{ Mode = 'Context'; Load = '$script:Json = [System.Runtime.Loader.AssemblyLoadContext]::new(''OtherJson'').LoadFromAssemblyPath($path)' }
    ) {
        $json = Get-OtherJsonPath
        $other = Join-Path $TestDrive "OtherJson$Mode"
        New-Item -ItemType Directory (Join-Path $other 'lib') -Force | Out-Null
        Copy-Item $json (Join-Path $other 'lib/System.Text.Json.dll')
        Set-Content (Join-Path $other "OtherJson$Mode.psm1") @"
`$path = Join-Path `$PSScriptRoot 'lib/System.Text.Json.dll'
$Load
function Get-OtherJson {
    `$options = [Activator]::CreateInstance(`$script:Json.GetType('System.Text.Json.JsonDocumentOptions'))
    `$document = `$script:Json.GetType('System.Text.Json.JsonDocument')::Parse('{"a":1}', `$options)
    `$document.RootElement.GetProperty('a').GetInt32()
}
function Get-OtherJsonAssembly { `$script:Json }
"@
        $clips = Join-Path $TestDrive "clips-$Mode"
        $result = Invoke-InNewProcess @"
Import-Module '$(Join-Path $other "OtherJson$Mode.psm1")'
`$before = Get-OtherJson
Import-Module '$manifest'
Connect-Kling -ApiKey (ConvertTo-SecureString 'test-key' -AsPlainText -Force) -BaseUri '$($emu.BaseUri)'
`$saved = (New-KlingImageVideo -LiteralPath '$still' | Wait-KlingTask -PollIntervalSec 1 | Save-KlingVideo -Path '$clips').Name
`$jsons = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'System.Text.Json' }
[pscustomobject]@{
    Before = `$before; After = Get-OtherJson; Saved = `$saved
    OtherLocation = (Get-OtherJsonAssembly).Location
    RuntimeJson = "`$([System.Text.Json.JsonSerializer].Assembly.GetName().Version)"
    Loaded = @(`$jsons | ForEach-Object { `$_.Location })
} | ConvertTo-Json -Compress
"@
        $result.Saved | Should -Be 'cat.mp4'
        $result.Before | Should -Be 1
        $result.After | Should -Be 1
        $fromModule = @($result.Loaded | Where-Object { $_ -like '*KlingPS*dependencies*' })
        if ([version]$result.RuntimeJson -ge [version]'8.0') {
            # PowerShell 7.4+: the runtime's copy serves KlingPS; the module's copy is never loaded.
            $fromModule.Count | Should -Be 0
        }
        else {
            $fromModule.Count | Should -Be 1
        }
        if ($Mode -eq 'Context') {
            $result.OtherLocation | Should -Be (Join-Path $other 'lib/System.Text.Json.dll')
            @($result.Loaded).Count | Should -BeGreaterOrEqual 2
        }
    }
}

Describe 'Runspaces' {
    It 'keeps a connection per runspace: two runspaces with two keys, at the same time, each sees and uses its own' {
        $script = {
            param($Manifest, $Key, $BaseUri, $Still)
            Import-Module $Manifest
            $before = Get-KlingContext
            # Without the key check, so that the wrong key is kept and must fail where it is used, in its own runspace only.
            $null = Connect-Kling -ApiKey (ConvertTo-SecureString $Key -AsPlainText -Force) -BaseUri $BaseUri -SkipKeyCheck
            $task = New-KlingImageVideo -LiteralPath $Still -ErrorAction SilentlyContinue -ErrorVariable failed
            [pscustomobject]@{ Before = $before; Hint = (Get-KlingContext).ApiKeyHint; TaskId = $task.TaskId; ErrorId = "$($failed.FullyQualifiedErrorId)" }
        }
        $keys = 'alpha-key-1111', 'bravo-key-2222', 'wrong-key-9999'
        $runs = foreach ($key in $keys) {
            $ps = [PowerShell]::Create()
            $null = $ps.AddScript($script).AddArgument($manifest).AddArgument($key).AddArgument($emu.BaseUri).AddArgument($still)
            [pscustomobject]@{ PowerShell = $ps; Handle = $ps.BeginInvoke() }
        }
        $results = foreach ($run in $runs) {
            if (-not $run.Handle.AsyncWaitHandle.WaitOne([TimeSpan]::FromMinutes(1))) { throw 'A runspace did not finish within a minute.' }
            $run.PowerShell.EndInvoke($run.Handle); $run.PowerShell.Dispose()
        }

        $results.Count | Should -Be 3
        $results | ForEach-Object { $_.Before | Should -BeNullOrEmpty }
        $results.Hint | Should -Be @('****1111', '****2222', '****9999')
        $results[0].TaskId | Should -Not -BeNullOrEmpty
        $results[1].TaskId | Should -Not -BeNullOrEmpty
        # Had the third runspace borrowed a valid key from the others, it would have been accepted.
        $results[2].TaskId | Should -BeNullOrEmpty
        $results[2].ErrorId | Should -BeLike 'KlingAuthentication*'
    }
}
