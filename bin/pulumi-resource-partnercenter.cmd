@echo off
rem The native Pulumi provider plugin of pulumi-partnercenter, for Windows. Pulumi finds a plugin
rem in a folder on Windows only as pulumi-resource-NAME.exe or .cmd (pkg/v3 v3.274.1,
rem sdk/go/common/workspace/plugins.go, getCandidateExtensions), so this file stands beside the
rem script pulumi-resource-partnercenter that Linux and macOS run. It runs that script with node
rem from PATH, found in the folder of this file (not the working directory), and passes every
rem argument on; node is its last command, so the exit code of node is the exit code of this file.
rem (No percent sign, angle bracket, pipe or ampersand in these comments: cmd.exe reads them.)
node "%~dp0pulumi-resource-partnercenter" %*
