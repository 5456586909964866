// Command `latentLab.openNotes`: opens the bundled notes in the chosen language (README, a given file, or a
// quick pick of the notes), and offers to switch language.
import * as vscode from 'vscode';
import { exists, notesLanguage, noteUri } from './bundledNotes';
import { NOTE_FILES, type NotesLanguage } from './core/noteFiles';
import { NoteIndex } from './core/noteIndex';

interface NotePick extends vscode.QuickPickItem {
  uri?: vscode.Uri;
  switchTo?: NotesLanguage;
}

async function noteTitle(uri: vscode.Uri): Promise<string | undefined> {
  try {
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    return new NoteIndex(text.slice(0, 4000)).title ?? /^#\s+(.+)$/m.exec(text)?.[1]?.trim();
  } catch {
    return undefined;
  }
}

export async function showNote(uri: vscode.Uri): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(document, { preview: false });
}

let offeredSwitch = false;

/**
 * No argument: opens the notes' README (the index) at once, so the command settles, and offers once per
 * session, without waiting, to switch language or pick a note. `{file}` opens that note; `{pick: true}`
 * shows the quick pick of notes.
 */
export async function openNotes(
  extensionUri: vscode.Uri,
  arg?: { file?: string; language?: NotesLanguage; pick?: boolean },
): Promise<vscode.TextEditor | undefined> {
  const language = arg?.language ?? notesLanguage();
  if (arg?.file) return showNote(noteUri(extensionUri, arg.file, language));
  if (arg?.pick) return pickNote(extensionUri, language);
  const readme = noteUri(extensionUri, 'README.md', language);
  if (!(await exists(readme))) return pickNote(extensionUri, language);
  const editor = await showNote(readme);
  if (!offeredSwitch) {
    offeredSwitch = true;
    void offerSwitch(extensionUri, language);
  }
  return editor;
}

async function offerSwitch(extensionUri: vscode.Uri, language: NotesLanguage): Promise<void> {
  const other: NotesLanguage = language === 'en' ? 'zh-cn' : 'en';
  const switchLabel = other === 'zh-cn' ? '切换到中文' : 'Switch to English';
  const pickLabel = vscode.l10n.t('Choose a note…');
  const answer = await vscode.window.showInformationMessage(
    vscode.l10n.t('Latent Lab notes opened. Hover an equation while a model trains to see its live tensors.'),
    switchLabel,
    pickLabel,
  );
  if (answer === switchLabel) {
    await vscode.workspace.getConfiguration('latentLab').update('notes.language', other, vscode.ConfigurationTarget.Global);
    await showNote(noteUri(extensionUri, 'README.md', other));
  } else if (answer === pickLabel) {
    await pickNote(extensionUri, language);
  }
}

async function pickNote(extensionUri: vscode.Uri, initial: NotesLanguage): Promise<vscode.TextEditor | undefined> {
  let language = initial;
  for (;;) {
    const items: NotePick[] = [];
    for (const file of NOTE_FILES) {
      const uri = noteUri(extensionUri, file, language);
      if (!(await exists(uri))) continue;
      items.push({ label: (await noteTitle(uri)) ?? file, description: file, uri });
    }
    if (!items.length) {
      void vscode.window.showWarningMessage(vscode.l10n.t('The notes are missing from this installation of Latent Lab.'));
      return undefined;
    }
    const other: NotesLanguage = language === 'en' ? 'zh-cn' : 'en';
    items.push(
      { label: '', kind: vscode.QuickPickItemKind.Separator },
      { label: other === 'zh-cn' ? '$(globe) 切换到中文笔记' : '$(globe) Switch the notes to English', switchTo: other },
    );
    const pick = await vscode.window.showQuickPick(items, { placeHolder: vscode.l10n.t('Open a Latent Lab note') });
    if (!pick) return undefined;
    if (pick.uri) return showNote(pick.uri);
    if (pick.switchTo) {
      language = pick.switchTo;
      await vscode.workspace.getConfiguration('latentLab').update('notes.language', language, vscode.ConfigurationTarget.Global);
    }
  }
}
