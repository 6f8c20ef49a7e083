import publications from './publications';

export default { publications };
