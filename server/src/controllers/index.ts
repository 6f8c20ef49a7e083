import publication from './publication';

export default { publication };
