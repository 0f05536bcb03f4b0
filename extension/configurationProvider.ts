// The `ringlab` debug configuration provider: F5 on a .gasm with no launch.json debugs it, the
// "add configuration" list offers one entry per mode, and a bad field stops the launch with a
// message naming it (launchConfig.ts holds the checks).

import * as vscode from 'vscode';
import { MODES } from '../core/run/modes';
import { completeLaunch } from './launchConfig';

function guestFile(): string | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  return doc !== undefined && doc.languageId === 'guest-asm' && doc.uri.scheme === 'file' ? doc.uri.fsPath : undefined;
}

export class RingLabConfigurationProvider implements vscode.DebugConfigurationProvider {
  provideDebugConfigurations(): vscode.DebugConfiguration[] {
    return MODES.filter((m) => m !== 'native').map((mode) => ({ type: 'ringlab', request: 'launch', name: `Debug guest (${mode})`, program: '${file}', mode, stopOnEntry: true }));
  }

  resolveDebugConfiguration(folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): vscode.ProviderResult<vscode.DebugConfiguration> {
    const settings = vscode.workspace.getConfiguration('ringlab', folder?.uri);
    const program = guestFile();
    const checked = completeLaunch(config, {
      ...(program !== undefined ? { program } : {}),
      mode: settings.get<string>('debug.defaultMode', 'trap-and-emulate'),
      hypervisor: settings.get<string>('debug.defaultHypervisor', 'type1'),
    });
    if ('error' in checked) {
      void vscode.window.showErrorMessage(`RingLab launch configuration: ${checked.error}`);
      return undefined; // abort the launch
    }
    return checked.config as vscode.DebugConfiguration;
  }
}

/** Dynamic configurations ("Run and Debug" > "Show all automatic debug configurations"). */
export class RingLabDynamicConfigurations implements vscode.DebugConfigurationProvider {
  provideDebugConfigurations(): vscode.DebugConfiguration[] {
    const program = guestFile();
    if (program === undefined) return [];
    const name = program.split(/[\\/]/).pop() ?? program;
    return MODES.map((mode) => ({ type: 'ringlab', request: 'launch', name: `${name} (${mode})`, program, mode, stopOnEntry: true }));
  }
}
