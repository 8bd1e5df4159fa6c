// Messages of one feature, merged into i18n.js's tree (same shape: { 'zh-CN': {...}, en: {...} }).
export default { 'zh-CN': {}, en: {} }
