import { useEffect, useId, useState } from 'react';
import { useActions } from '../app/context.tsx';
import { formatBytes, formatSpeed, parseSpeedLimit } from '../format/units.ts';
import styles from './SpeedLimitEditor.module.css';

/** One download's own speed limit, changed in place from the details panel. */
export function SpeedLimitEditor({ id, limit }: { id: string; limit: number }) {
  const actions = useActions();
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const inputId = useId();
  const errorId = useId();

  useEffect(() => {
    setEditing(false);
    setError(null);
  }, [id]);

  if (!editing) {
    return (
      <span className={styles.line}>
        {limit > 0 ? formatSpeed(limit) : 'None'}
        <button
          type="button"
          className={styles.change}
          onClick={() => {
            setText(limit > 0 ? formatBytes(limit) : '');
            setEditing(true);
          }}
        >
          Change<span className="visually-hidden"> speed limit</span>
        </button>
      </span>
    );
  }

  const save = async () => {
    const bytes = text.trim() === '' ? 0 : parseSpeedLimit(text);
    if (bytes === null) {
      setError('Write a speed like 500 KB or 2 MB; empty for none.');
      return;
    }
    const problem = await actions.setSpeedLimit(id, bytes);
    if (problem) setError(problem);
    else setEditing(false);
  };

  return (
    <form
      className={styles.form}
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <label htmlFor={inputId} className="visually-hidden">
        Speed limit for this download
      </label>
      <input
        id={inputId}
        className="input"
        autoFocus
        placeholder="No limit"
        value={text}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        onChange={(event) => {
          setText(event.target.value);
          setError(null);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.stopPropagation();
            setEditing(false);
          }
        }}
      />
      <button type="submit" className="button">
        Set
      </button>
      {error && (
        <span id={errorId} className={`field-error ${styles.error}`}>
          {error}
        </span>
      )}
    </form>
  );
}
