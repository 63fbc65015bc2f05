import { useState } from 'react';
import { useApp, useSlice } from '../app/context.tsx';
import { Modal } from './Modal.tsx';
import styles from './SettingsDialog.module.css';

/** Asks before removing downloads from the list, and whether their files go too (off by default: files are precious). */
export function RemoveDialog() {
  const { stores, actions } = useApp();
  const ids = useSlice('dialogs', (state) => (state.open.kind === 'remove' ? state.open.ids : []));
  const firstName = useSlice('downloads', (state) => (ids[0] ? state.byId.get(ids[0])?.fileName : undefined));
  const [deleteFile, setDeleteFile] = useState(false);
  const close = () => stores.dialogs.getState().close();
  const subject = ids.length === 1 ? `“${firstName ?? 'this download'}”` : `${ids.length} downloads`;

  return (
    <Modal
      title={`Remove ${subject}?`}
      description="They leave the list. Finished files stay on disk unless you tick the box."
      onClose={close}
      onSubmit={() => {
        close();
        void actions.remove(ids, deleteFile);
      }}
      footer={
        <>
          <button type="button" className="button" onClick={close}>
            Keep
          </button>
          <button type="submit" className="button button-danger-solid" data-autofocus>
            {deleteFile ? 'Remove and delete' : 'Remove'}
          </button>
        </>
      }
    >
      <label className={styles.check}>
        <input type="checkbox" checked={deleteFile} onChange={(event) => setDeleteFile(event.target.checked)} />
        {ids.length === 1 ? 'Also delete the file from disk' : 'Also delete their files from disk'}
      </label>
    </Modal>
  );
}
