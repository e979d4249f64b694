import { bundleConfig } from './vite.shared.js';
export default bundleConfig('launcher');
