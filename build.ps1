#requires -Version 5.1
<#
.SYNOPSIS
    Builds, tests and packages KlingPS. Needs only the .NET SDK (and PowerShell to run this script).
.EXAMPLE
    ./build.ps1            # Build: out/KlingPS, the module folder (manifest, assemblies, format, help, dependencies/)
    ./build.ps1 Test       # every test: xunit always, Pester when pwsh and Pester are installed
    ./build.ps1 Package    # out/KlingPS.<version>.zip for the Gallery or Azure Automation
    ./build.ps1 Clean
#>
[CmdletBinding()]
param(
    [ValidateSet('Clean', 'Build', 'Test', 'Package')]
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

foreach ($step in $Task) {
    switch ($step) {
        'Clean' {
            Remove-Item -Recurse -Force out, TestResults -ErrorAction SilentlyContinue
            Invoke-Dotnet clean KlingPS.sln -c $Configuration -nologo -v q
        }
        'Build' {
            # The build itself lays out out/KlingPS (src/KlingPS/KlingPS.csproj, target KlingModuleLayout).
            Invoke-Dotnet build KlingPS.sln -c $Configuration -nologo
            Write-Host "Module folder: $(Join-Path $PSScriptRoot 'out/KlingPS')"
        }
        'Test' {
            Invoke-Dotnet run --project tests/KlingPS.TestRunner -c $Configuration
        }
        'Package' {
            Invoke-Dotnet build KlingPS.sln -c $Configuration -nologo
            $version = (Import-PowerShellDataFile ./KlingPS.psd1).ModuleVersion
            $zip = Join-Path $PSScriptRoot "out/KlingPS.$version.zip"
            Remove-Item $zip -ErrorAction SilentlyContinue
            # Azure Automation wants a zip whose top folder is named like the module and its manifest.
            Compress-Archive -Path (Join-Path $PSScriptRoot 'out/KlingPS') -DestinationPath $zip
            Write-Host "Package: $zip"
        }
    }
}
