// The Element Plus components the UI uses, registered once (tree-shaken; the full CSS is loaded
// in main.js so no style plugin is needed). Sub-components such as ElRadioGroup install only
// through their parent (ElRadio), so the parent must be listed too; an unregistered one would
// render as a bare <el-...> element, which the browser tests look for.
import {
  ElAlert, ElAside, ElButton, ElCard, ElCheckbox, ElCheckboxGroup, ElCol, ElConfigProvider,
  ElContainer, ElDatePicker, ElDescriptions, ElDescriptionsItem, ElDialog, ElDivider, ElDrawer, ElEmpty, ElForm,
  ElFormItem, ElHeader, ElIcon, ElInput, ElInputNumber, ElLoading, ElMain, ElMenu, ElMenuItem,
  ElOption, ElPagination, ElProgress, ElRadio, ElRadioButton, ElRadioGroup, ElResult, ElRow, ElScrollbar, ElSelect,
  ElSkeleton, ElSwitch, ElTable, ElTableColumn, ElTabPane, ElTabs, ElTag, ElTooltip, ElTree,
} from 'element-plus'

const components = [
  ElAlert, ElAside, ElButton, ElCard, ElCheckbox, ElCheckboxGroup, ElCol, ElConfigProvider,
  ElContainer, ElDatePicker, ElDescriptions, ElDescriptionsItem, ElDialog, ElDivider, ElDrawer, ElEmpty, ElForm,
  ElFormItem, ElHeader, ElIcon, ElInput, ElInputNumber, ElMain, ElMenu, ElMenuItem, ElOption,
  ElPagination, ElProgress, ElRadio, ElRadioButton, ElRadioGroup, ElResult, ElRow, ElScrollbar, ElSelect, ElSkeleton,
  ElSwitch, ElTable, ElTableColumn, ElTabPane, ElTabs, ElTag, ElTooltip, ElTree,
]

export function installUi(app) {
  for (const c of components) app.use(c)
  app.use(ElLoading)
}
