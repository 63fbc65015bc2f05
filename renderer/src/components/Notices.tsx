import { CircleCheck, Info, TriangleAlert, X } from 'lucide-react';
import { useApp, useSlice } from '../app/context.tsx';
import styles from './Notices.module.css';

const ICONS = { info: Info, success: CircleCheck, danger: TriangleAlert } as const;

/** Recent outcomes in the corner; a polite live region, so screen readers hear them without losing their place. */
export function Notices() {
  const { stores } = useApp();
  const notices = useSlice('notices', (state) => state.notices);
  return (
    <section className={styles.stack} aria-label="Notifications" aria-live="polite">
      {notices.map((notice) => {
        const Icon = ICONS[notice.tone];
        return (
          <div key={notice.id} className={styles.notice} data-tone={notice.tone}>
            <Icon size={16} className={styles.icon} aria-hidden="true" />
            <p className={styles.text}>{notice.text}</p>
            <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => stores.notices.getState().dismiss(notice.id)}>
              <X size={14} aria-hidden="true" />
            </button>
          </div>
        );
      })}
    </section>
  );
}
