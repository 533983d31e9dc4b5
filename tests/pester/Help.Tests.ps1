# Get-Help -Online in real PowerShell. On Linux, .NET opens a URL with the first xdg-open on PATH: a stand-in records the
# URL it is given instead of starting a browser.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'KlingPS.TestHelpers.psm1') -Force
    Import-Module (Get-KlingTestManifest) -Force
    $script:readme = 'https://github.com/klingps/KlingPS/blob/main/README.md#cmdlets'
}

AfterAll { Remove-Module KlingPS -ErrorAction SilentlyContinue }

Describe 'Get-Help -Online' {
    It 'opens the README''s cmdlets for <Name>' -ForEach @(
        @{ Name = 'New-KlingImageVideo' }, @{ Name = 'Connect-Kling' }, @{ Name = 'Wait-KlingTask' }
    ) {
        (Get-Command $Name).HelpUri | Should -Be $readme
        if (-not $IsLinux) {
            # Elsewhere the system's browser would open; Get-Help -Online opens the first related link, the online version.
            @((Get-Help $Name).relatedLinks.navigationLink)[0].uri | Should -Be $readme
            return
        }
        $bin = Join-Path $TestDrive "bin-$Name"
        New-Item -ItemType Directory $bin | Out-Null
        $opened = Join-Path $TestDrive "opened-$Name.txt"
        Set-Content -LiteralPath (Join-Path $bin 'xdg-open') -Value "#!/bin/sh`nprintf '%s' `"`$1`" > '$opened'`n" -NoNewline
        chmod +x (Join-Path $bin 'xdg-open')
        $path = $env:PATH
        try {
            $env:PATH = "$bin$([IO.Path]::PathSeparator)$path"
            Get-Help $Name -Online -ErrorAction Stop
            $deadline = [DateTime]::UtcNow.AddSeconds(10)
            while (-not (Test-Path -LiteralPath $opened) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        }
        finally {
            $env:PATH = $path
        }
        Get-Content -LiteralPath $opened -Raw | Should -Be $readme
    }
}
