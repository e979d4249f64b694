export { default } from '../../tools/vitest.shared.js';
