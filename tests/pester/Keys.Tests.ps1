# A key with a line break inside, from the COMETAPI_KEY environment variable: refused before any request, never shown.
# (Connect-Kling and -ApiKey are tested in tests/KlingPS.Tests/Cmdlets/KeyCharacterTests.cs.)
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'KlingPS.TestHelpers.psm1') -Force
    Import-Module (Get-KlingTestManifest) -Force
    $script:emu = Start-TestEmulator
    $env:KLINGPS_BASE_URI = $emu.BaseUri    # a key that got through would reach the emulator, never the service
}

AfterAll {
    Remove-Item Env:COMETAPI_KEY, Env:KLINGPS_BASE_URI -ErrorAction SilentlyContinue
    Stop-KlingEmulator $emu
    Remove-Module KlingPS -ErrorAction SilentlyContinue
}

Describe 'A key from COMETAPI_KEY' {
    BeforeEach {
        Disconnect-Kling
        Invoke-RestMethod -Method Delete "$($emu.BaseUri)_emulator/log"
    }
    AfterEach { Remove-Item Env:COMETAPI_KEY -ErrorAction SilentlyContinue }

    It 'is refused with <Name> inside it, before any request, and never shown' -ForEach @(
        @{ Name = 'CR LF'; Key = "test-key`r`nX-Injected: yes" }
        @{ Name = 'LF'; Key = "test-key`nX-Injected: yes" }
        @{ Name = 'DEL'; Key = "test-key$([char]0x7f)X-Injected" }
    ) {
        $env:COMETAPI_KEY = $Key
        $caught = $null
        try { Get-KlingTask -TaskId 123 -ErrorAction Stop } catch { $caught = $_ }
        $caught | Should -Not -BeNullOrEmpty
        $caught.FullyQualifiedErrorId | Should -BeLike 'InvalidApiKey*'
        $caught.Exception.Message | Should -BeLike '*control character*'
        $caught.ErrorDetails.RecommendedAction | Should -BeLike '*COMETAPI_KEY environment variable*'
        ($caught | Out-String) + $caught.ErrorDetails.RecommendedAction | Should -Not -Match 'test-key|X-Injected'
        { Get-KlingContext -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidApiKey*'
        @(Get-KlingEmulatorLog $emu).Count | Should -Be 0
    }

    It 'is used when it is a plain key (the check refuses only control characters)' {
        $env:COMETAPI_KEY = 'test-key'
        @(Get-KlingTask -PageSize 1).Count | Should -Be 0
        @(Get-KlingEmulatorLog $emu).Count | Should -Be 1
    }
}
