import { describe } from 'vitest';
import { eventBusContract } from '../../../test/contracts/event-bus.contract.ts';
import { createInProcessEventBus } from './in-process-event-bus.ts';

describe('in-process event bus', () => {
  const bus = createInProcessEventBus();
  eventBusContract(() => [bus]);
});
