// Where the bundled notes live and which language to show: `latentLab.notes.language`, where 'auto'
// follows VS Code's display language (zh* -> zh-cn, else en).
import * as vscode from 'vscode';
import { languageFor, type NotesLanguage } from './core/noteFiles';

export function notesLanguage(): NotesLanguage {
  return languageFor(vscode.workspace.getConfiguration('latentLab').get<string>('notes.language', 'auto'), vscode.env.language);
}

export function noteUri(extensionUri: vscode.Uri, file: string, language: NotesLanguage = notesLanguage()): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'media', 'notes', language, file);
}

export async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
