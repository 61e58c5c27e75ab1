export { acquireFileLock, type FileLock, type FileLockOptions } from './acquire-file-lock';
export { createLockedBatches, DEFAULT_GATHER_MS, type LockedBatchOptions } from './create-locked-batches';
export { isProcessAlive } from './is-process-alive';
export { DEFAULT_SYNC_DELAY_MS, openJournalFile, type JournalFile, type JournalFileOptions, type ReadOutcome, type TailPolicy } from './open-journal-file';
