// Every memory rule, in code order.
import { fp8WithoutGpuSupport } from './fp8WithoutGpuSupport';
import { memoryNearLimit } from './memoryNearLimit';
import { memoryOverrun } from './memoryOverrun';
import type { MemoryRule } from './memoryRule';

export const MEMORY_RULES: readonly MemoryRule[] = [memoryOverrun, memoryNearLimit, fp8WithoutGpuSupport];
