import { useRef, type PointerEvent } from 'react';

/** As long as a touch is held before it counts as a long-press, and how far it may drift (a scroll is not one). */
const HOLD_MS = 500;
const DRIFT_PX = 10;

/**
 * Long-press on touch screens. Android also fires `contextmenu` for it, and iOS does not: the caller handles
 * both and ignores the second opening.
 */
export function useLongPress(onLongPress: (at: { x: number; y: number }) => void) {
  const press = useRef<{ timer: ReturnType<typeof setTimeout>; x: number; y: number } | null>(null);
  const cancel = () => {
    if (press.current) clearTimeout(press.current.timer);
    press.current = null;
  };
  return {
    onPointerDown(event: PointerEvent) {
      if (event.pointerType !== 'touch') return;
      cancel();
      const at = { x: event.clientX, y: event.clientY };
      press.current = {
        ...at,
        timer: setTimeout(() => {
          press.current = null;
          onLongPress(at);
        }, HOLD_MS),
      };
    },
    onPointerMove(event: PointerEvent) {
      if (press.current && Math.hypot(event.clientX - press.current.x, event.clientY - press.current.y) > DRIFT_PX) cancel();
    },
    onPointerUp: cancel,
    onPointerCancel: cancel,
  };
}
