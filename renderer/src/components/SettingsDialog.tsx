import { useState } from 'react';
import type { Settings, Theme } from '../../../shared/download/types.ts';
import { useApp, useSlice } from '../app/context.tsx';
import { formatBytes, parseSpeedLimit } from '../format/units.ts';
import { applyTheme } from '../stores/settings.ts';
import { Field } from './Field.tsx';
import { CancelAndSubmit, Modal } from './Modal.tsx';
import styles from './SettingsDialog.module.css';

interface Draft {
  downloadDirectory: string;
  maxConcurrentDownloads: string;
  connectionsPerDownload: string;
  globalSpeedLimit: string;
  retryLimit: string;
  notifications: boolean;
  theme: Theme;
}

const toDraft = (settings: Settings): Draft => ({
  downloadDirectory: settings.downloadDirectory,
  maxConcurrentDownloads: String(settings.maxConcurrentDownloads),
  connectionsPerDownload: String(settings.connectionsPerDownload),
  globalSpeedLimit: settings.globalSpeedLimit === 0 ? '' : formatBytes(settings.globalSpeedLimit),
  retryLimit: String(settings.retryLimit),
  notifications: settings.notifications,
  theme: settings.theme,
});

const wholeNumber = (text: string, min: number, max: number): number | null => {
  const value = Number(text);
  return Number.isInteger(value) && value >= min && value <= max ? value : null;
};

/** Validates the draft into a patch, or says per field what to fix. */
export function draftToPatch(draft: Draft): { patch: Partial<Settings> } | { errors: Partial<Record<keyof Draft, string>> } {
  const errors: Partial<Record<keyof Draft, string>> = {};
  const concurrent = wholeNumber(draft.maxConcurrentDownloads, 1, 32);
  const connections = wholeNumber(draft.connectionsPerDownload, 1, 64);
  const retries = wholeNumber(draft.retryLimit, 0, 100);
  const limit = draft.globalSpeedLimit.trim() === '' ? 0 : parseSpeedLimit(draft.globalSpeedLimit);
  const directory = draft.downloadDirectory.trim();
  if (!(directory.startsWith('/') || /^[A-Za-z]:[\\/]/.test(directory) || directory.startsWith('\\\\'))) errors.downloadDirectory = 'Use a full path, like /home/me/Downloads.';
  if (concurrent === null) errors.maxConcurrentDownloads = 'Use a whole number from 1 to 32.';
  if (connections === null) errors.connectionsPerDownload = 'Use a whole number from 1 to 64.';
  if (retries === null) errors.retryLimit = 'Use a whole number from 0 to 100.';
  if (limit === null) errors.globalSpeedLimit = 'Write a speed like 500 KB or 2 MB, or leave it empty for no limit.';
  if (Object.keys(errors).length > 0) return { errors };
  return {
    patch: {
      downloadDirectory: directory,
      maxConcurrentDownloads: concurrent!,
      connectionsPerDownload: connections!,
      globalSpeedLimit: limit!,
      retryLimit: retries!,
      notifications: draft.notifications,
      theme: draft.theme,
    },
  };
}

/** Download folder, queue and connection limits, retries, notifications and theme. */
export function SettingsDialog() {
  const { stores, actions } = useApp();
  const settings = useSlice('settings', (state) => state.settings);
  const canChoose = useSlice('connection', (state) => state.appInfo?.canChooseDirectory ?? false);
  const [draft, setDraft] = useState<Draft | null>(() => (settings ? toDraft(settings) : null));
  const [errors, setErrors] = useState<Partial<Record<keyof Draft, string>>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const close = () => {
    // A previewed theme goes back to the saved one when the dialog is dismissed.
    if (settings) applyTheme(stores.settings.getState().settings?.theme ?? settings.theme);
    stores.dialogs.getState().close();
  };

  if (!draft) {
    return (
      <Modal title="Settings" onClose={close} footer={<button type="button" className="button" onClick={close}>Close</button>}>
        <p role="status">Settings are still loading. Try again in a moment.</p>
      </Modal>
    );
  }

  const set = <Key extends keyof Draft>(key: Key, value: Draft[Key]) => {
    setDraft({ ...draft, [key]: value });
    setErrors({ ...errors, [key]: undefined });
    if (key === 'theme') applyTheme(value as Theme);
  };

  const save = async () => {
    const result = draftToPatch(draft);
    if ('errors' in result) {
      setErrors(result.errors);
      return;
    }
    setBusy(true);
    const problem = await actions.updateSettings(result.patch);
    setBusy(false);
    if (problem) setFailure(problem);
    else stores.dialogs.getState().close();
  };

  return (
    <Modal
      title="Settings"
      width="wide"
      onClose={close}
      onSubmit={() => void save()}
      failure={failure}
      footer={<CancelAndSubmit onCancel={close} submit={busy ? 'Saving…' : 'Save'} disabled={busy} />}
    >
      <section className={styles.section} aria-labelledby="settings-downloads">
        <h3 id="settings-downloads" className={styles.heading}>
          Downloads
        </h3>
        <div className={styles.grid}>
          <Field label="Download folder" error={errors.downloadDirectory} wide>
            {(props) => (
              <div className={styles.folder}>
                <input {...props} className="input" value={draft.downloadDirectory} onChange={(event) => set('downloadDirectory', event.target.value)} />
                {canChoose && (
                  <button type="button" className="button" onClick={() => void actions.chooseDirectory().then((folder) => folder && set('downloadDirectory', folder))}>
                    Choose…
                  </button>
                )}
              </div>
            )}
          </Field>
          <Field label="Downloads at the same time" hint="The rest wait in the queue." error={errors.maxConcurrentDownloads}>
            {(props) => <input {...props} className="input" type="number" min={1} max={32} value={draft.maxConcurrentDownloads} onChange={(event) => set('maxConcurrentDownloads', event.target.value)} />}
          </Field>
          <Field label="Connections per download" hint="More can be faster; some servers refuse many." error={errors.connectionsPerDownload}>
            {(props) => <input {...props} className="input" type="number" min={1} max={64} value={draft.connectionsPerDownload} onChange={(event) => set('connectionsPerDownload', event.target.value)} />}
          </Field>
          <Field label="Speed limit for all downloads" hint="Like 2 MB per second; empty for none." error={errors.globalSpeedLimit}>
            {(props) => <input {...props} className="input" placeholder="No limit" value={draft.globalSpeedLimit} onChange={(event) => set('globalSpeedLimit', event.target.value)} />}
          </Field>
          <Field label="Retries before giving up" hint="With growing pauses between them." error={errors.retryLimit}>
            {(props) => <input {...props} className="input" type="number" min={0} max={100} value={draft.retryLimit} onChange={(event) => set('retryLimit', event.target.value)} />}
          </Field>
        </div>
      </section>
      <section className={styles.section} aria-labelledby="settings-window">
        <h3 id="settings-window" className={styles.heading}>
          Window
        </h3>
        <label className={styles.check}>
          <input type="checkbox" checked={draft.notifications} onChange={(event) => set('notifications', event.target.checked)} />
          Notify me when a download finishes or fails
        </label>
        <fieldset className={styles.themes}>
          <legend className="field-label">Theme</legend>
          {(['system', 'light', 'dark'] as const).map((theme) => (
            <label key={theme} className={styles.theme}>
              <input type="radio" name="theme" value={theme} checked={draft.theme === theme} onChange={() => set('theme', theme)} />
              {theme === 'system' ? 'Same as the system' : theme === 'light' ? 'Light' : 'Dark'}
            </label>
          ))}
        </fieldset>
      </section>
    </Modal>
  );
}
