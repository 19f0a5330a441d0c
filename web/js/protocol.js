// @ts-check
// The messages between the page and the training worker (js/worker.js), and
// between that worker and its aside helper. Types only: nothing imports this
// file at run time; the checker (web/jsconfig.json) reads the typedefs.
//
// In:  {type:'init', link, checkpoint?} | {type:'configure', link, keep?, from?, reason?, ask?} | {type:'run'}
//      {type:'pause'} | {type:'step'} | {type:'reset'} | {type:'refresh'}
//      {type:'analyze', name, args} | {type:'restore', bytes, reason?} | {type:'export'}
//      {type:'analyzeAside', bytes, name, args}: (to a helper instance of worker.js) run one
//        analysis on the checkpoint `bytes`, answer {type:'analysis'} or {type:'error'}
//      {type:'ping'} | {type:'poke', index, value} | {type:'save'} (post a checkpoint now)
// Out: {type:'ready', schema, threads} | {type:'config', config, link, issues, restoredStep?, reason?, ask?, init?}
//        ask: echoes the configure's ask (also on its error), so the page knows which edit it answers
//        init: at step 0, a digest of θ (two runs with equal digests start from the same parameters)
//      {type:'progress', step, total, losses, stepsPerSec, running}
//      {type:'figures', data, seconds, preview, early, marks?} | {type:'analysis', name, data}
//        early: a link's first small preview, before its (sliced) figures; marks: the worker's
//        first steps (ms since the epoch), with its first figures
//      {type:'checkpoint', bytes, step, link} | {type:'export', bytes, name}
//      {type:'error', message} | {type:'pong'}
//      {type:'busy', what, seconds, done?, steps?}: work of about `seconds` (core/cost.h)
//        starts or goes on (sliced figures: `done` of `steps` ODE steps; an analysis
//        aside: `seconds` left by the estimate, `done` seconds so far of `steps` estimated)
//      {type:'aborted', message}: the wasm module aborted (e.g. out of memory); it is
//        unusable, this worker answers nothing more and the page replaces it

/**
 * @typedef {{type: 'init', link: string, checkpoint?: Uint8Array, reason?: string}
 *   | {type: 'configure', link: string, keep?: boolean, from?: Uint8Array, reason?: string, ask?: number}
 *   | {type: 'run' | 'pause' | 'step' | 'reset' | 'refresh' | 'export' | 'ping' | 'save'}
 *   | {type: 'analyze', name: string, args?: Record<string, unknown>}
 *   | {type: 'analyzeAside', bytes: Uint8Array, name: string, args?: Record<string, unknown>}
 *   | {type: 'restore', bytes: Uint8Array, reason?: string}
 *   | {type: 'poke', index: number, value: number}
 *   | {type: 'ownData', id: unknown, csv?: string, text?: string, points?: ArrayLike<number>, labels?: ArrayLike<number>}} WorkerIn
 */
/**
 * @typedef {{type: 'ready', schema: object[], threads: number}
 *   | {type: 'config', config: Record<string, any>, link: string, issues: {field: string, message: string}[],
 *      init?: string, restoredStep?: number, reason?: string, ask?: number}
 *   | {type: 'progress', step: number, total: number, losses: Float32Array, stepsPerSec: number, running: boolean}
 *   | {type: 'figures', data: unknown, seconds: number, preview: boolean, early?: boolean, marks?: Record<string, number>}
 *   | {type: 'analysis', name: string, data: unknown, seconds: number}
 *   | {type: 'checkpoint', bytes: Uint8Array<ArrayBuffer>, step: number, link: string}
 *   | {type: 'export', bytes: Uint8Array<ArrayBuffer>, name: string}
 *   | {type: 'rollback', step: number, losses: Float32Array}
 *   | {type: 'ownData', id: unknown, result: unknown}
 *   | {type: 'error', message: string, ask?: number}
 *   | {type: 'pong'}
 *   | {type: 'busy', what: string, seconds: number, done?: number, steps?: number, aside?: boolean}
 *   | {type: 'aborted', message: string}} WorkerOut
 */
/** @typedef {{[K in WorkerOut['type']]?: (msg: Extract<WorkerOut, {type: K}>) => void}} WorkerOutHandlers */

export {};
