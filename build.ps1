#requires -Version 5.1
<#
.SYNOPSIS
    Builds, tests and packages KlingPS. Needs only the .NET SDK, and a PowerShell to run this script: Windows PowerShell
    5.1, PowerShell 7, or the one pinned in .config/dotnet-tools.json (dotnet tool exec powershell ./build.ps1 Demo).
.EXAMPLE
    ./build.ps1            # Build: out/KlingPS, the module folder (manifest, assemblies, format, help, dependencies/)
    ./build.ps1 Test       # every test: xunit, then Pester in the pinned pwsh with the pinned Pester (both restored by the test command)
    ./build.ps1 Package    # out/KlingPS (the Gallery-ready folder) and out/KlingPS.zip, which Azure Automation imports as is
    ./build.ps1 Demo       # builds, then runs the README one-liner against the local emulator on tests/samples/stills
    ./build.ps1 Clean
#>
[CmdletBinding()]
param(
    [ValidateSet('Clean', 'Build', 'Test', 'Package', 'Demo')]
    [string[]] $Task = 'Build',
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)
$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot

function Invoke-Dotnet {
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $args failed with exit code $LASTEXITCODE." }
}

# The module folder that a build of $Configuration lays out, as Directory.Build.props says (KlingModuleDir): out/KlingPS
# for Release, out/<Configuration>/KlingPS otherwise.
function Get-ModuleFolder {
    $folder = Invoke-Dotnet msbuild src/KlingPS/KlingPS.csproj -nologo '-getProperty:KlingModuleDir' "-p:Configuration=$Configuration"
    [IO.Path]::GetFullPath((-join $folder).Trim().Replace('\', [IO.Path]::DirectorySeparatorChar)).TrimEnd([IO.Path]::DirectorySeparatorChar)
}

foreach ($step in $Task) {
    switch ($step) {
        'Clean' {
            Remove-Item -Recurse -Force out, TestResults -ErrorAction SilentlyContinue
            Invoke-Dotnet clean KlingPS.sln -c $Configuration -nologo -v q
        }
        'Build' {
            # The build itself lays out out/KlingPS (src/KlingPS/KlingPS.csproj, target KlingModuleLayout).
            Invoke-Dotnet build KlingPS.sln -c $Configuration -nologo
            Write-Host "Module folder: $(Get-ModuleFolder)"
        }
        'Test' {
            Invoke-Dotnet run --project tests/KlingPS.TestRunner -c $Configuration
        }
        'Package' {
            Invoke-Dotnet build KlingPS.sln -c $Configuration -nologo
            # Azure Automation: "The name of the .zip file, the name of the folder, and the name of the file in the
            # folder must be the same" (New-AzAutomationModule), so KlingPS.zip holding KlingPS/KlingPS.psd1; the
            # version is the manifest's. ZipFile, not Compress-Archive: Microsoft.PowerShell.Archive is not in every
            # PowerShell, and the one of Windows PowerShell 5.1 writes '\' into entry names. So does ZipFile there,
            # unless told otherwise: powershell.exe targets no .NET Framework recent enough for '/' by default.
            $moduleFolder = Get-ModuleFolder
            $zip = Join-Path $PSScriptRoot 'out/KlingPS.zip'
            Remove-Item $zip -ErrorAction SilentlyContinue
            Add-Type -AssemblyName System.IO.Compression.FileSystem
            [AppContext]::SetSwitch('Switch.System.IO.Compression.ZipFile.UseBackslash', $false)
            [System.IO.Compression.ZipFile]::CreateFromDirectory($moduleFolder, $zip, [System.IO.Compression.CompressionLevel]::Optimal, $true)
            Write-Host "Module folder (Publish-PSResource -Path): $moduleFolder"
            Write-Host "Azure Automation zip: $zip"
        }
        'Demo' {
            Invoke-Dotnet build KlingPS.sln -c $Configuration -nologo -v q
            $moduleFolder = Get-ModuleFolder
            Import-Module (Join-Path $PSScriptRoot 'tests/KlingPS.Processes.psm1') -Force
            $emulator = Start-KlingEmulator -Configuration $Configuration
            try {
                $clips = Join-Path $PSScriptRoot 'out/demo-clips'
                Remove-Item -Recurse -Force $clips -ErrorAction SilentlyContinue
                $demo = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$(Join-Path $moduleFolder 'KlingPS.psd1')'
Connect-Kling -ApiKey (ConvertTo-SecureString 'test-key' -AsPlainText -Force) -BaseUri '$($emulator.BaseUri)'
Set-Location '$(Join-Path $PSScriptRoot 'tests/samples')'
Get-ChildItem ./stills/*.png | New-KlingImageVideo -Prompt 'slow push-in' -Mode pro |
    Wait-KlingTask | Save-KlingVideo -Path '$clips' | Format-Table Name, Length, LastWriteTime
"@
                # A child PowerShell, so that this session does not keep the module's files loaded (and locked on Windows).
                # Encoded, so that no quote in the script is lost on its way through a command line; as text, because with an
                # encoded command a redirected stderr would otherwise carry progress as CLIXML.
                $shell = Get-PowerShellCommand
                & $shell.FilePath @($shell.ArgumentList) -NoProfile -NonInteractive -OutputFormat Text -EncodedCommand ([Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($demo)))
                if ($LASTEXITCODE -ne 0) { throw "The demo failed (exit code $LASTEXITCODE)." }
            }
            finally {
                Stop-KlingEmulator $emulator
            }
        }
    }
}
