/** The names of manifest files: `*.yaml`, `*.yml`, `*.json`. */
export const MANIFEST_FILE = /\.(ya?ml|json)$/i;
