import { useEffect, useId, useRef, type ReactNode } from 'react';
import { X } from 'lucide-react';
import styles from './Modal.module.css';

interface ModalProps {
  title: string;
  description?: string;
  onClose(): void;
  children: ReactNode;
  footer: ReactNode;
  onSubmit?(): void;
  width?: 'narrow' | 'wide';
  /** Why the last submit failed, shown (and announced) above the content. */
  failure?: string | null;
}

/** The usual footer of a form dialog: Cancel, then the submit button. */
export function CancelAndSubmit({ onCancel, submit, disabled = false }: { onCancel(): void; submit: string; disabled?: boolean }) {
  return (
    <>
      <button type="button" className="button" onClick={onCancel}>
        Cancel
      </button>
      <button type="submit" className="button button-primary" disabled={disabled}>
        {submit}
      </button>
    </>
  );
}

/**
 * A modal on the native <dialog>: the browser traps focus, makes the rest inert
 * and closes on Escape; we restore focus to where it was when it closes.
 */
export function Modal({ title, description, onClose, children, footer, onSubmit, width = 'narrow', failure = null }: ModalProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();
  const close = useRef(onClose);
  close.current = onClose;

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    const previous = document.activeElement;
    if (!element.open) {
      if (typeof element.showModal === 'function') element.showModal();
      else element.setAttribute('open', '');
    }
    // showModal() focuses the first focusable element (the Close button); the content says what should have focus.
    element.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    const onCancel = (event: Event) => {
      event.preventDefault();
      close.current();
    };
    element.addEventListener('cancel', onCancel);
    return () => {
      element.removeEventListener('cancel', onCancel);
      if (element.open && typeof element.close === 'function') element.close();
      if (previous instanceof HTMLElement && previous.isConnected) previous.focus();
    };
  }, []);

  return (
    <dialog ref={dialog} className={styles.dialog} data-width={width} aria-labelledby={titleId} aria-describedby={description ? descriptionId : undefined}>
      <form
        method="dialog"
        // Our own sentences explain bad values; the browser's bubbles would say less, in another voice.
        noValidate
        className={styles.form}
        onSubmit={(event) => {
          event.preventDefault();
          onSubmit?.();
        }}
      >
        <header className={styles.header}>
          <div>
            <h2 id={titleId} className={styles.title}>
              {title}
            </h2>
            {description && (
              <p id={descriptionId} className={styles.description}>
                {description}
              </p>
            )}
          </div>
          <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
            <X size={18} aria-hidden="true" />
          </button>
        </header>
        <div className={styles.body}>
          {failure && (
            <p role="alert" className={styles.failure}>
              {failure}
            </p>
          )}
          {children}
        </div>
        <footer className={styles.footer}>{footer}</footer>
      </form>
    </dialog>
  );
}
