// One editable list of the builder, used for positions and for each position's candidates: every
// item under a heading with move up, move down and remove buttons, and an add button below.
import type { ReactNode } from 'react';
import { t } from '../../../i18n';
import { move } from './form';

const tb = t.admin.builder;

interface ListEditorProps<T extends { key: string }> {
  items: T[];
  /**
   * Moves, removals and additions, as a change of the current list. Reported apart from edits
   * inside an item because field errors, keyed by index, no longer line up after one.
   */
  onReshape: (reshape: (items: T[]) => T[]) => void;
  blank: () => T;
  addLabel: string;
  heading: (index: number) => ReactNode;
  /** How the buttons name the item to a screen reader ("Move Grace Hopper up"). */
  nameOf: (item: T, index: number) => string;
  listClassName: string;
  itemClassName: string;
  itemTestId: string;
  /** The item's own fields. */
  children: (item: T, index: number) => ReactNode;
}

export function ListEditor<T extends { key: string }>({
  items,
  onReshape,
  blank,
  addLabel,
  heading,
  nameOf,
  listClassName,
  itemClassName,
  itemTestId,
  children,
}: ListEditorProps<T>) {
  return (
    <>
      <ol className={listClassName}>
        {items.map((item, index) => (
          <li key={item.key} className={itemClassName} data-testid={itemTestId}>
            <div className="row-head">
              {heading(index)}
              <ReorderButtons
                what={nameOf(item, index)}
                index={index}
                length={items.length}
                onMove={(delta) => onReshape((list) => move(list, index, delta))}
                onRemove={() => onReshape((list) => list.filter((_, i) => i !== index))}
              />
            </div>
            {children(item, index)}
          </li>
        ))}
      </ol>
      <button
        type="button"
        className="btn btn-secondary"
        onClick={() => onReshape((list) => [...list, blank()])}
      >
        + {addLabel}
      </button>
    </>
  );
}

function ReorderButtons({
  what,
  index,
  length,
  onMove,
  onRemove,
}: {
  what: string;
  index: number;
  length: number;
  onMove: (delta: -1 | 1) => void;
  onRemove: () => void;
}) {
  return (
    <div className="reorder">
      <button
        type="button"
        className="icon-btn"
        onClick={() => onMove(-1)}
        disabled={index === 0}
        aria-label={tb.moveUpWhat(what)}
        title={tb.moveUp}
      >
        ↑
      </button>
      <button
        type="button"
        className="icon-btn"
        onClick={() => onMove(1)}
        disabled={index === length - 1}
        aria-label={tb.moveDownWhat(what)}
        title={tb.moveDown}
      >
        ↓
      </button>
      <button
        type="button"
        className="icon-btn danger"
        onClick={onRemove}
        disabled={length === 1}
        aria-label={tb.removeWhat(what)}
        title={tb.remove}
      >
        ✕
      </button>
    </div>
  );
}
