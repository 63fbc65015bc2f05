import { useEffect, useId, useRef, useState } from 'react';
import { ChevronRight } from 'lucide-react';
import { useApp, useSlice } from '../app/context.tsx';
import { parseUrlLines } from '../format/links.ts';
import { buildRequests, emptyAddForm, type AddForm, type AddFormErrors } from './add-form.ts';
import { Field } from './Field.tsx';
import { CancelAndSubmit, Modal } from './Modal.tsx';
import { clipboardUrls } from './use-global-shortcuts.ts';
import styles from './AddDialog.module.css';

/** Adds many links at once, with per-download options tucked under "Advanced". */
export function AddDialog() {
  const { stores, actions } = useApp();
  const prefilled = useSlice('dialogs', (state) => (state.open.kind === 'add' ? state.open.urls : []));
  const canChoose = useSlice('connection', (state) => state.appInfo?.canChooseDirectory ?? false);
  const defaults = useSlice('settings', (state) => state.settings);
  const [form, setForm] = useState<AddForm>(() => emptyAddForm(prefilled));
  const [errors, setErrors] = useState<AddFormErrors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [advanced, setAdvanced] = useState(false);
  const [busy, setBusy] = useState(false);
  const touched = useRef(false);
  const advancedId = useId();
  const close = () => stores.dialogs.getState().close();

  // Links dropped or handed over while open join the box.
  useEffect(() => {
    if (prefilled.length === 0) return;
    setForm((current) => {
      const have = new Set(parseUrlLines(current.urls).map((line) => line.text));
      const added = prefilled.filter((url) => !have.has(url));
      return added.length === 0 ? current : { ...current, urls: [current.urls.trim(), ...added].filter(Boolean).join('\n') };
    });
  }, [prefilled]);

  // Opened empty: offer what the clipboard holds, unless the person started typing. Runs once, on opening.
  useEffect(() => {
    if (prefilled.length > 0) return;
    void clipboardUrls().then((urls) => {
      if (urls.length > 0 && !touched.current) setForm((current) => (current.urls ? current : { ...current, urls: urls.join('\n') }));
    });
  }, []);

  const set = (field: keyof AddForm) => (value: string) => {
    touched.current = true;
    setForm((current) => ({ ...current, [field]: value }));
    setErrors((current) => ({ ...current, [field]: undefined }));
  };

  const lines = parseUrlLines(form.urls);
  const count = lines.length;

  const submit = async () => {
    const built = buildRequests(form);
    if ('errors' in built) {
      setErrors(built.errors);
      if (Object.keys(built.errors).some((key) => key !== 'urls')) setAdvanced(true);
      return;
    }
    setBusy(true);
    setFailure(null);
    const problem = await actions.start(built.requests);
    setBusy(false);
    if (problem) setFailure(problem);
    else close();
  };

  return (
    <Modal
      title="Add downloads"
      description="Paste one link per line. Each becomes its own download."
      width="wide"
      onClose={close}
      onSubmit={() => void submit()}
      failure={failure}
      footer={
        <>
          <span className={styles.summary} aria-live="polite">
            {count === 0 ? 'No links yet' : `${count} ${count === 1 ? 'link' : 'links'}`}
          </span>
          <CancelAndSubmit onCancel={close} submit={busy ? 'Adding…' : count > 1 ? `Add ${count} downloads` : 'Add download'} disabled={busy || count === 0} />
        </>
      }
    >
      <Field label="Links" hint="One per line. Links dropped on the window or pasted with Ctrl+V land here too." error={errors.urls}>
        {(props) => (
          <textarea
            {...props}
            className="input"
            rows={6}
            data-autofocus
            spellCheck={false}
            placeholder="https://example.org/file.iso"
            value={form.urls}
            onChange={(event) => set('urls')(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
                event.preventDefault();
                void submit();
              }
            }}
          />
        )}
      </Field>
      <button type="button" className={styles.disclosure} aria-expanded={advanced} aria-controls={advancedId} onClick={() => setAdvanced(!advanced)}>
        <ChevronRight size={16} className={styles.chevron} aria-hidden="true" />
        Advanced options
      </button>
      {advanced && (
        <div id={advancedId} className={styles.advanced}>
          <Field label="Save to folder" hint={defaults ? `Default: ${defaults.downloadDirectory}` : undefined} error={errors.directory} wide>
            {(props) => (
              <div className={styles.folder}>
                <input {...props} className="input" value={form.directory} placeholder={defaults?.downloadDirectory ?? '/home/me/Downloads'} onChange={(event) => set('directory')(event.target.value)} />
                {canChoose && (
                  <button
                    type="button"
                    className="button"
                    onClick={() => void actions.chooseDirectory().then((folder) => folder && set('directory')(folder))}
                  >
                    Choose…
                  </button>
                )}
              </div>
            )}
          </Field>
          <Field label="File name" hint="Only for a single link; the server's name otherwise." error={errors.fileName}>
            {(props) => <input {...props} className="input" value={form.fileName} onChange={(event) => set('fileName')(event.target.value)} />}
          </Field>
          <Field label="Connections" hint={defaults ? `Default: ${defaults.connectionsPerDownload}` : '1 to 64'} error={errors.connections}>
            {(props) => (
              <input {...props} className="input" type="number" min={1} max={64} inputMode="numeric" value={form.connections} onChange={(event) => set('connections')(event.target.value)} />
            )}
          </Field>
          <Field label="Speed limit" hint="Like 500 KB or 2 MB per second; empty for none." error={errors.speedLimit}>
            {(props) => <input {...props} className="input" value={form.speedLimit} onChange={(event) => set('speedLimit')(event.target.value)} />}
          </Field>
          <Field label="Checksum algorithm">
            {(props) => (
              <select {...props} className="input" value={form.checksumAlgorithm} onChange={(event) => set('checksumAlgorithm')(event.target.value)}>
                <option value="sha256">SHA-256</option>
                <option value="sha1">SHA-1</option>
                <option value="md5">MD5</option>
              </select>
            )}
          </Field>
          <Field label="Checksum" hint="Checked before the file is finished." error={errors.checksumHex}>
            {(props) => <input {...props} className="input" spellCheck={false} value={form.checksumHex} onChange={(event) => set('checksumHex')(event.target.value)} />}
          </Field>
          <Field label="Request headers" hint="One “Name: value” per line." error={errors.headers} wide>
            {(props) => <textarea {...props} className="input" rows={3} spellCheck={false} value={form.headers} onChange={(event) => set('headers')(event.target.value)} />}
          </Field>
          <Field label="Cookies" wide>
            {(props) => <input {...props} className="input" spellCheck={false} value={form.cookies} onChange={(event) => set('cookies')(event.target.value)} />}
          </Field>
          <Field label="User agent">
            {(props) => <input {...props} className="input" spellCheck={false} value={form.userAgent} onChange={(event) => set('userAgent')(event.target.value)} />}
          </Field>
          <Field label="Referrer" error={errors.referer}>
            {(props) => <input {...props} className="input" spellCheck={false} value={form.referer} onChange={(event) => set('referer')(event.target.value)} />}
          </Field>
        </div>
      )}
    </Modal>
  );
}
