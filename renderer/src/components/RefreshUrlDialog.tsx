import { useState } from 'react';
import { useApp, useSlice } from '../app/context.tsx';
import { isHttpUrl } from '../format/links.ts';
import { Field } from './Field.tsx';
import { CancelAndSubmit, Modal } from './Modal.tsx';

/** Swaps in a fresh link for an expired one; the engine keeps the bytes when the file is the same. */
export function RefreshUrlDialog() {
  const { stores, actions } = useApp();
  const id = useSlice('dialogs', (state) => (state.open.kind === 'refresh-url' ? state.open.id : ''));
  const download = useSlice('downloads', (state) => state.byId.get(id));
  const [url, setUrl] = useState('');
  const [error, setError] = useState<string | undefined>();
  const close = () => stores.dialogs.getState().close();

  const save = async () => {
    if (!isHttpUrl(url.trim())) {
      setError('Paste an http:// or https:// link.');
      return;
    }
    const problem = await actions.refreshUrl(id, url.trim());
    if (problem) setError(problem);
    else close();
  };

  return (
    <Modal
      title="Refresh link"
      description={`A new link for “${download?.fileName ?? 'this download'}”. The bytes already downloaded are kept if the file is the same.`}
      onClose={close}
      onSubmit={() => void save()}
      footer={<CancelAndSubmit onCancel={close} submit="Use this link" />}
    >
      <Field label="New link" error={error}>
        {(props) => <input {...props} className="input" data-autofocus spellCheck={false} value={url} onChange={(event) => { setUrl(event.target.value); setError(undefined); }} />}
      </Field>
    </Modal>
  );
}
