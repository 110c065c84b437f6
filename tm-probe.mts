import * as echarts from 'echarts'
const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 290, height: 320 })
chart.setOption({ series: [{ type: 'treemap', roam: false, nodeClick: false, breadcrumb: { show: false }, left: 0, top: 0, right: 0, bottom: 0, data: [{ name: 'a', value: 10 }, { name: 'b', value: 3 }, { name: 'c', value: 1 }] }] })
const model: any = (chart as any).getModel().getSeriesByIndex(0)
const data = model.getData()
for (let i = 0; i < data.count(); i++) console.log(i, data.getName(i), JSON.stringify(data.getItemLayout(i)))
